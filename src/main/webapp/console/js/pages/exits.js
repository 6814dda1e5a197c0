// Exits, pools and providers: states, create, check now (one exit, or a pool as a job with a
// progress bar), latency history chart.
import { h, replace, fmt } from '../dom.js';
import * as api from '../api.js';
import { line } from '../charts.js';
import { table, form, compact, dialog, action, badge, section, tabs, notice, adminOnly } from '../ui.js';

export function render(root) {
  replace(
    root,
    tabs([
      { label: 'Exits', render: exits },
      { label: 'Pools', render: pools },
      { label: 'Providers', render: providers },
      { label: 'Check jobs', render: jobs },
    ]),
  );
}

function exits() {
  const list = table({
    name: 'exits',
    filters: [
      { name: 'state', label: 'State', type: 'select', options: ['healthy', 'suspect', 'unhealthy'] },
      { name: 'pool', label: 'Pool' },
      { name: 'country', label: 'Country' },
    ],
    load: (q) => api.get('/exits' + api.query(q)),
    columns: [
      { key: 'id', label: 'id' },
      { key: 'name', label: 'Name' },
      { key: 'kind', label: 'Kind' },
      { key: 'host', label: 'Upstream', value: (e) => (e.host ? e.host + ':' + e.port : e.localAddress || '') },
      { key: 'country', label: 'Country' },
      { key: 'state', label: 'State', value: (e) => badge(e.enabled === false ? 'disabled' : e.state) },
      { key: 'latencyMs', label: 'Latency', value: (e) => (e.latencyMs !== undefined ? e.latencyMs + ' ms' : '') },
      { key: 'actualIp', label: 'Exit IP' },
      { key: 'pools', label: 'Pools', value: (e) => (e.pools || []).join(', ') },
      { key: 'lastError', label: 'Last error' },
    ],
    actions: (e, reload, msg) => [
      adminOnly(
        action(
          'Check',
          async () => {
            const r = await api.post(`/exits/${e.id}/check`);
            await reload();
            if (r.healthy) msg.ok(e.name + ': healthy, ' + r.latencyMs + ' ms, exit IP ' + r.actualIp);
            else msg.error(new Error(e.name + ': check failed: ' + (r.error || 'HTTP ' + r.httpStatus)));
          },
          msg,
        ),
      ),
      action('History', () => history(e), msg),
      adminOnly(
        action(e.enabled === false ? 'Enable' : 'Disable', async () => (await api.patch(`/exits/${e.id}`, { enabled: e.enabled === false }), reload()), msg),
      ),
      adminOnly(action('Delete', async () => (await api.del(`/exits/${e.id}`), reload()), msg, { confirm: 'Delete exit ' + e.name + '?' })),
    ],
  });
  const create = form(
    [
      { name: 'name', label: 'Name', required: true },
      { name: 'kind', label: 'Kind', type: 'select', options: ['socks5', 'http', 'direct'] },
      { name: 'host', label: 'Host' },
      { name: 'port', label: 'Port', type: 'number' },
      { name: 'username', label: 'Upstream username' },
      { name: 'password', label: 'Upstream password', type: 'password' },
      { name: 'country', label: 'Country (ISO)' },
      { name: 'checkUrl', label: 'Check URL', placeholder: 'default: this server\u2019s echo' },
    ],
    'Create exit',
    async (v) => {
      await api.post('/exits', compact(v, ['port']));
      create.msg.ok('exit ' + v.name + ' created');
      list.reload();
    },
    { name: 'create-exit', reset: true },
  );
  return h('div', api.isAdmin() ? section('New exit', create.el) : null, list.el);
}

async function history(e) {
  const r = await api.get(`/exits/${e.id}/checks`);
  const items = (r.items || []).slice().reverse();
  dialog(
    'Checks of ' + e.name,
    h('figure', line(items.map((c) => (c.healthy ? c.latencyMs : null)), { width: 520, height: 120, label: 'ms' }), h('figcaption', 'Latency of the last ' + items.length + ' checks (gaps: failed)')),
    e.latency ? h('p', 'EWMA ' + e.latency.ewmaMs + ' ms, p50 ' + e.latency.p50Ms + ' ms, p95 ' + e.latency.p95Ms + ' ms') : null,
    h(
      'table',
      { class: 'striped' },
      h('thead', h('tr', h('th', 'checked'), h('th', 'healthy'), h('th', 'ms'), h('th', 'IP'), h('th', 'error'))),
      h(
        'tbody',
        items.reverse().map((c) => h('tr', h('td', fmt.time(c.checkedAt)), h('td', fmt.yes(c.healthy)), h('td', String(c.latencyMs ?? '')), h('td', c.actualIp || ''), h('td', c.error || ''))),
      ),
    ),
  );
}

function pools() {
  const progress = h('div', { id: 'check-progress' });
  const list = table({
    name: 'pools',
    load: () => api.get('/pools'),
    columns: [
      { key: 'id', label: 'id' },
      { key: 'name', label: 'Name' },
      { key: 'strategy', label: 'Strategy' },
      { key: 'exits', label: 'Exits', value: (p) => (p.exits || []).join(', ') },
      { key: 'fallbackPool', label: 'Fallback' },
    ],
    actions: (p, reload, msg) => [
      adminOnly(action('Check pool', () => runJob(progress, { pool: p.name }), msg, { name: 'check-pool' })),
      adminOnly(
        action('Delete', async () => (await api.del(`/pools/${p.id}`), reload()), msg, { confirm: 'Delete pool ' + p.name + '?' }),
      ),
    ],
  });
  const create = form(
    [
      { name: 'name', label: 'Name', required: true },
      { name: 'strategy', label: 'Strategy', type: 'select', options: ['round-robin', 'sticky', 'random', 'least-connections', 'least-latency', 'hash-destination'] },
      { name: 'exits', label: 'Exit ids', placeholder: '1, 2, 3' },
      { name: 'fallbackPool', label: 'Fallback pool' },
    ],
    'Create pool',
    async (v) => {
      const body = compact(v);
      body.exits = (v.exits || '')
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(Number);
      await api.post('/pools', body);
      create.msg.ok('pool ' + v.name + ' created');
      list.reload();
    },
    { name: 'create-pool', reset: true },
  );
  return h(
    'div',
    api.isAdmin() ? section('New pool', create.el) : null,
    progress,
    api.isAdmin() ? h('p', action('Check all enabled exits', () => runJob(progress, {}), null, { class: 'small', name: 'check-all' })) : null,
    list.el,
  );
}

/** Starts a check job and follows it with a progress bar until it is done. */
async function runJob(box, params) {
  const msg = notice();
  const bar = h('progress', { value: 0, max: 1 });
  const text = h('span', { class: 'job-text' }, 'starting...');
  replace(box, h('article', { class: 'job' }, h('strong', 'Check ' + (params.pool ? 'of pool ' + params.pool : 'of all exits')), bar, text, msg.el));
  try {
    let job = await api.post('/exits/check' + api.query(params));
    for (let i = 0; i < 600; i++) {
      bar.max = Math.max(1, job.total);
      bar.value = job.done;
      text.textContent = `${job.done} of ${job.total} checked: ${job.healthy} healthy, ${job.failing} failing (${job.state})`;
      box.dataset.state = job.state;
      if (job.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 500));
      job = await api.get(`/exits/checks/${job.id}?results=false`);
    }
    if (job.state === 'failed') msg.error(new Error(job.error || 'the job failed'));
  } catch (e) {
    msg.error(e);
  }
}

function providers() {
  const list = table({
    name: 'providers',
    load: () => api.get('/providers'),
    columns: [
      { key: 'id', label: 'id' },
      { key: 'name', label: 'Name' },
      { key: 'kind', label: 'Kind' },
      { key: 'host', label: 'Host' },
      { key: 'portFrom', label: 'Ports', value: (p) => p.portFrom + '-' + p.portTo },
      { key: 'country', label: 'Country' },
      { key: 'exits', label: 'Exits' },
      { key: 'retired', label: 'Retired' },
    ],
    actions: (p, reload, msg) => [
      adminOnly(action('Delete', async () => (await api.del(`/providers/${p.id}`), reload()), msg, { confirm: 'Delete provider ' + p.name + ' and its exits?' })),
    ],
  });
  const create = form(
    [
      { name: 'name', label: 'Name', required: true },
      { name: 'kind', label: 'Kind', type: 'select', options: ['socks5', 'http'] },
      { name: 'host', label: 'Host', required: true },
      { name: 'portFrom', label: 'First port', type: 'number', required: true },
      { name: 'portTo', label: 'Last port', type: 'number', required: true },
      { name: 'username', label: 'Username' },
      { name: 'password', label: 'Password', type: 'password' },
      { name: 'country', label: 'Country' },
      { name: 'pool', label: 'Add exits to pool' },
    ],
    'Create provider',
    async (v) => {
      await api.post('/providers', compact(v, ['portFrom', 'portTo']));
      list.reload();
    },
    { name: 'create-provider', reset: true },
  );
  return h('div', api.isAdmin() ? section('New provider', create.el) : null, list.el);
}

function jobs() {
  return table({
    name: 'check-jobs',
    load: () => api.get('/exits/checks'),
    columns: [
      { key: 'id', label: 'id' },
      { key: 'state', label: 'State', value: (j) => badge(j.state) },
      { key: 'pool', label: 'Pool' },
      { key: 'total', label: 'Total' },
      { key: 'healthy', label: 'Healthy' },
      { key: 'unhealthy', label: 'Unhealthy' },
      { key: 'node', label: 'Node' },
      { key: 'startedAt', label: 'Started', value: (j) => fmt.time(j.startedAt) },
    ],
  }).el;
}
