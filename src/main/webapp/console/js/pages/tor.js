// The Tor fleet: nodes, their exits, scale and rotate.
import { h, replace, fmt } from '../dom.js';
import * as api from '../api.js';
import { table, form, action, badge, section, adminOnly } from '../ui.js';

export function render(root) {
  const list = table({
    name: 'tor-nodes',
    load: () => api.get('/tor/nodes'),
    columns: [
      { key: 'id', label: 'id' },
      { key: 'server', label: 'Server' },
      { key: 'index', label: '#' },
      { key: 'state', label: 'State', value: (n) => badge(n.state) },
      { key: 'bootstrapPercent', label: 'Bootstrap %' },
      { key: 'socksPort', label: 'SOCKS port' },
      { key: 'countries', label: 'Countries', value: (n) => (n.countries || []).join(', ') },
      { key: 'exitIp', label: 'Exit IP', value: (n) => (n.exitIp ? n.exitIp + (n.exitPinned ? ' (pinned)' : '') : '') },
      { key: 'exitCountry', label: 'Exit country' },
      { key: 'lastRotationAt', label: 'Rotated', value: (n) => fmt.time(n.lastRotationAt) },
    ],
    actions: (n, reload, msg) => [adminOnly(action('Rotate', async () => (await api.post(`/tor/nodes/${n.id}/rotate`), reload()), msg))],
    empty: 'No Tor nodes (size 0)',
  });
  const scale = form(
    [{ name: 'size', label: 'Nodes per server', type: 'number', required: true }],
    'Scale',
    async (v) => {
      await api.post('/tor/nodes/scale', { size: Number(v.size) });
      scale.msg.ok('scaling to ' + v.size);
      list.reload();
    },
    { name: 'tor-scale' },
  );
  replace(
    root,
    api.isAdmin() ? section('Fleet', scale.el, action('Rotate all', async () => (await api.post('/tor/rotate'), list.reload()), scale.msg, { class: 'small' })) : null,
    list.el,
  );
}
