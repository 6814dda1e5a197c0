// Export links: create (the URL is shown once, with a copy button), list, revoke.
import { h, replace, fmt } from '../dom.js';
import * as api from '../api.js';
import { table, form, compact, action, section, secretBox } from '../ui.js';

export function render(root) {
  const created = h('div', { id: 'created-export' });
  const list = table({
    name: 'exports',
    load: () => api.get('/exports'),
    columns: [
      { key: 'id', label: 'id' },
      { key: 'scope', label: 'Scope' },
      { key: 'pool', label: 'Pool' },
      { key: 'format', label: 'Format' },
      { key: 'bindCidr', label: 'Bound to' },
      { key: 'expiresAt', label: 'Expires', value: (x) => fmt.time(x.expiresAt) },
      { key: 'revokedAt', label: 'Revoked', value: (x) => fmt.time(x.revokedAt) },
      { key: 'downloads', label: 'Downloads' },
    ],
    actions: (x, reload, msg) =>
      x.revokedAt ? [] : [action('Revoke', async () => (await api.del(`/exports/${x.id}`), reload()), msg, { confirm: 'Revoke this export link?' })],
  });
  const create = form(
    [
      { name: 'scope', label: 'Scope', type: 'select', options: ['users', 'pools', 'dedicated'] },
      { name: 'pool', label: 'Pool (scope pools)' },
      { name: 'format', label: 'Format', type: 'select', options: ['txt', 'csv', 'json'] },
      { name: 'ttlMinutes', label: 'Valid for minutes', type: 'number', value: '60' },
      { name: 'bindCidr', label: 'Only from CIDR' },
    ],
    'Create link',
    async (v) => {
      const r = await api.post('/exports', compact(v, ['ttlMinutes']));
      const url = new URL(r.url, location.origin).href;
      replace(created, secretBox('Download link', url, 'export-url'));
      list.reload();
    },
    { name: 'create-export' },
  );
  replace(root, section('New export link', create.el, created), list.el);
}
