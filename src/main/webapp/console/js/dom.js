// DOM helpers. Everything from the server is put into the page as text (textContent, text
// nodes, attribute values): no HTML string ever reaches the DOM, and the CSP's Trusted Types
// requirement makes the browser refuse innerHTML and friends anyway.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

function attrs(el, a) {
  for (const [k, v] of Object.entries(a || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'class') {
      el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'selected') {
      el[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
}

/** h('button', {class: 'x', onclick: fn}, 'text', child, ...): an element with text children. */
export function h(tag, a, ...children) {
  const el = document.createElement(tag);
  if (a && (typeof a !== 'object' || a instanceof Node || Array.isArray(a))) {
    children.unshift(a);
    a = null;
  }
  attrs(el, a);
  append(el, children);
  return el;
}

/** An SVG element with attributes (no children text is ever HTML). */
export function s(tag, a, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(a || {})) {
    if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

/** Removes every child of el, then appends the given ones. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const fmt = {
  bytes(n) {
    if (n === null || n === undefined) return '';
    const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    let v = Number(n);
    while (v >= 1024 && i < u.length - 1) {
      v /= 1024;
      i++;
    }
    return (i === 0 ? v : v.toFixed(1)) + ' ' + u[i];
  },
  time(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  },
  limit(n) {
    return n ? String(n) : 'unlimited';
  },
  yes(b) {
    return b ? 'yes' : 'no';
  },
};
