// Building blocks of the pages: notices, a copy button, small forms, dialogs and a table that
// pages and filters through the API.
import { h, replace } from './dom.js';
import { ApiError, isAdmin } from './api.js';

/** A message area: ui.notice() then .error(e) / .ok(text) / .clear(). */
export function notice() {
  const el = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  return {
    el,
    error(e) {
      const title = e instanceof ApiError ? (e.problem.title || 'Error') + ': ' : '';
      const lines = [title + (e.message || String(e))];
      if (e instanceof ApiError && Array.isArray(e.problem.errors)) {
        for (const f of e.problem.errors) lines.push(f.field + ': ' + f.message);
      }
      replace(el, ...lines.map((l) => h('div', l)));
      el.className = 'notice error';
      el.dataset.kind = 'error';
    },
    ok(text) {
      replace(el, text);
      el.className = 'notice ok';
      el.dataset.kind = 'ok';
    },
    clear() {
      replace(el);
      el.className = 'notice';
      delete el.dataset.kind;
    },
  };
}

/** A button that copies text to the clipboard and says so. */
export function copyButton(getText, label = 'Copy') {
  const b = h('button', { type: 'button', class: 'secondary small copy' }, label);
  b.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(typeof getText === 'function' ? getText() : getText);
      b.textContent = 'Copied';
    } catch (e) {
      b.textContent = 'Select and copy';
    }
    setTimeout(() => (b.textContent = label), 1500);
  });
  return b;
}

/** A secret shown once, in a box with a copy button. */
export function secretBox(label, value, name) {
  return h(
    'div',
    { class: 'secret', dataset: { secret: name || '' } },
    h('strong', label),
    ' (shown once: copy it now)',
    h('div', { class: 'secret-row' }, h('code', { class: 'secret-value' }, value), copyButton(value)),
  );
}

/**
 * A form from field descriptions [{name, label, type, options, required, value, placeholder}];
 * onSubmit(values) may throw: the error is shown under the form.
 */
export function form(fields, submitLabel, onSubmit, opts = {}) {
  const msg = notice();
  const inputs = {};
  const body = fields.map((f) => {
    let input;
    if (f.type === 'select') {
      input = h(
        'select',
        { name: f.name, required: f.required },
        (f.options || []).map((o) =>
          h('option', { value: Array.isArray(o) ? o[0] : o }, Array.isArray(o) ? o[1] : o),
        ),
      );
      if (f.value !== undefined) input.value = f.value;
    } else if (f.type === 'textarea') {
      input = h('textarea', { name: f.name, rows: f.rows || 4, placeholder: f.placeholder || '' });
      input.value = f.value || '';
    } else if (f.type === 'checkbox') {
      input = h('input', { type: 'checkbox', name: f.name, checked: !!f.value, role: 'switch' });
      inputs[f.name] = input;
      return h('label', input, ' ', f.label);
    } else {
      input = h('input', {
        name: f.name,
        type: f.type || 'text',
        required: f.required,
        placeholder: f.placeholder || '',
        autocomplete: f.autocomplete || 'off',
        inputmode: f.inputmode,
      });
      if (f.value !== undefined && f.value !== null) input.value = f.value;
    }
    inputs[f.name] = input;
    return h('label', f.label, input, f.help ? h('small', f.help) : null);
  });
  const button = h('button', { type: 'submit' }, submitLabel);
  const el = h('form', { class: opts.class || 'grid-form', name: opts.name }, body, button, msg.el);
  el.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.clear();
    const values = {};
    for (const [k, i] of Object.entries(inputs)) {
      values[k] = i.type === 'checkbox' ? i.checked : i.value.trim();
    }
    button.setAttribute('aria-busy', 'true');
    button.disabled = true;
    try {
      const result = await onSubmit(values, msg);
      if (result !== false && opts.reset) el.reset();
    } catch (e) {
      msg.error(e);
    } finally {
      button.removeAttribute('aria-busy');
      button.disabled = false;
    }
  });
  return { el, inputs, msg };
}

/** Copies only the non-empty values, converting the named ones to numbers. */
export function compact(values, numbers = []) {
  const out = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === '' || v === null || v === undefined) continue;
    out[k] = numbers.includes(k) ? Number(v) : v;
  }
  return out;
}

/** A modal dialog with the given content; returns {close}. */
export function dialog(title, ...content) {
  const close = () => {
    d.close();
    d.remove();
  };
  const d = h(
    'dialog',
    h(
      'article',
      h('header', h('button', { type: 'button', class: 'secondary small close-dialog', onclick: close }, 'Close'), h('strong', title)),
      content,
    ),
  );
  d.addEventListener('close', () => d.remove());
  document.body.append(d);
  d.showModal();
  return { close, el: d };
}

/** A button that runs an async action and reports errors to a notice. */
export function action(label, fn, msg, opts = {}) {
  const b = h('button', { type: 'button', class: opts.class || 'secondary small', dataset: { action: opts.name || label.toLowerCase() } }, label);
  b.addEventListener('click', async () => {
    if (opts.confirm && !window.confirm(opts.confirm)) return;
    b.setAttribute('aria-busy', 'true');
    b.disabled = true;
    try {
      await fn();
    } catch (e) {
      if (msg) msg.error(e);
      else console.warn(e);
    } finally {
      b.removeAttribute('aria-busy');
      b.disabled = false;
    }
  });
  return b;
}

/** Admin-only content: null for viewers. */
export function adminOnly(el) {
  return isAdmin() ? el : null;
}

/**
 * A table fed by the API: load({page, size, ...filters}) answers {items, total?}. Filters are
 * sent to the API (never filtered in the browser); with total, pages are shown.
 */
export function table({ columns, load, filters = [], actions, size = 25, empty = 'Nothing here yet', name }) {
  const msg = notice();
  const state = { page: 0, size, filters: {} };
  let lastKey = null;
  const tbody = h('tbody');
  const info = h('span', { class: 'page-info' });
  const prev = h('button', { type: 'button', class: 'secondary small', onclick: () => go(state.page - 1) }, 'Previous');
  const next = h('button', { type: 'button', class: 'secondary small', onclick: () => go(state.page + 1) }, 'Next');
  const filterInputs = filters.map((f) => {
    const input =
      f.type === 'select'
        ? h('select', { name: f.name }, h('option', { value: '' }, f.label + ': any'), f.options.map((o) => h('option', { value: o }, o)))
        : h('input', { name: f.name, type: f.type || 'search', placeholder: f.label, 'aria-label': f.label });
    input.addEventListener('change', () => {
      state.filters[f.name] = input.value.trim();
      go(0);
    });
    return input;
  });
  const head = h('thead', h('tr', columns.map((c) => h('th', c.label)), actions ? h('th', '') : null));
  const el = h(
    'section',
    { class: 'api-table', dataset: { table: name || '' } },
    filterInputs.length ? h('div', { class: 'filters' }, filterInputs) : null,
    h('div', { class: 'table-wrap' }, h('table', { class: 'striped' }, head, tbody)),
    h('div', { class: 'pager' }, prev, info, next),
    msg.el,
  );

  async function go(page) {
    state.page = Math.max(0, page);
    try {
      const r = await load({ page: state.page, size: state.size, ...state.filters });
      const items = Array.isArray(r) ? r : r.items || [];
      // Unchanged data is not drawn again (live pages reload every few seconds).
      const key = JSON.stringify([state.page, items, r.total]);
      if (key !== lastKey) {
        lastKey = key;
        render(items, r.total);
      }
      msg.clear();
    } catch (e) {
      msg.error(e);
    }
  }

  function render(items, total) {
    const rows = items.map((item) =>
      h(
        'tr',
        { dataset: { id: item.id !== undefined ? String(item.id) : '' } },
        columns.map((c) => {
          const v = c.value ? c.value(item) : item[c.key];
          return h('td', { dataset: { col: c.key || c.label } }, v instanceof Node ? v : v === undefined || v === null ? '' : String(v));
        }),
        actions ? h('td', { class: 'actions' }, actions(item, reload, msg)) : null,
      ),
    );
    replace(tbody, rows.length ? rows : h('tr', h('td', { colspan: columns.length + 1, class: 'empty' }, empty)));
    const pages = total !== undefined ? Math.max(1, Math.ceil(total / state.size)) : null;
    prev.disabled = state.page === 0;
    next.disabled = pages === null ? items.length < state.size : state.page + 1 >= pages;
    info.textContent = total !== undefined ? `page ${state.page + 1} of ${pages} (${total})` : items.length + ' shown';
  }

  function reload() {
    return go(state.page);
  }
  go(0);
  return { el, reload, msg };
}

/** A state badge: class per value so the stylesheet colours it. */
export function badge(value) {
  return h('span', { class: 'badge badge-' + String(value).replace(/[^a-z0-9-]/gi, '') }, String(value));
}

/** Section with a heading. */
export function section(title, ...content) {
  return h('section', h('h3', title), content);
}

/** Tabs: [{label, render() -> Node}]. */
export function tabs(list) {
  const body = h('div', { class: 'tab-body' });
  const buttons = list.map((t, i) =>
    h('button', { type: 'button', class: 'tab outline', role: 'tab', dataset: { tab: t.label.toLowerCase() }, onclick: () => show(i) }, t.label),
  );
  function show(i) {
    buttons.forEach((b, j) => b.setAttribute('aria-selected', String(i === j)));
    replace(body, list[i].render());
  }
  show(0);
  return h('div', { class: 'tabs' }, h('div', { role: 'tablist', class: 'tablist' }, buttons), body);
}
