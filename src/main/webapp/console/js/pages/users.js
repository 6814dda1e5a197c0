// Proxy users: paged list filtered by the API, create (the password is shown once), proxy env,
// usage, limits, disable/enable, new password, delete.
import { h, replace, fmt } from '../dom.js';
import * as api from '../api.js';
import { table, form, compact, dialog, action, secretBox, copyButton, badge, section, notice, adminOnly } from '../ui.js';

const LIMITS = ['maxConnections', 'connectionsPerMinute', 'bandwidthUpBps', 'bandwidthDownBps'];

export function render(root) {
  const created = h('div', { id: 'created-user' });
  const list = table({
    name: 'users',
    filters: [{ name: 'username', label: 'Username contains' }],
    load: (q) => api.get('/users' + api.query(q)),
    columns: [
      { key: 'id', label: 'id' },
      { key: 'username', label: 'Username' },
      { key: 'enabled', label: 'Enabled', value: (u) => badge(u.enabled ? 'enabled' : 'disabled') },
      { key: 'maxConnections', label: 'Max conns', value: (u) => fmt.limit(u.maxConnections) },
      { key: 'bandwidthDownBps', label: 'Down B/s', value: (u) => fmt.limit(u.bandwidthDownBps) },
      { key: 'defaultPool', label: 'Default pool' },
      { key: 'expiresAt', label: 'Expires', value: (u) => fmt.time(u.expiresAt) || 'never' },
    ],
    actions: (u, reload, msg) => [
      action('Usage', () => usage(u), msg),
      adminOnly(action('Env', () => env(u), msg)),
      adminOnly(action('Limits', () => limits(u, reload), msg)),
      adminOnly(
        u.enabled
          ? action('Disable', async () => (await api.post(`/users/${u.id}/disable`), reload()), msg)
          : action('Enable', async () => (await api.post(`/users/${u.id}/enable`), reload()), msg),
      ),
      adminOnly(
        action(
          'New password',
          async () => {
            const r = await api.post(`/users/${u.id}/password`);
            replace(created, secretBox('New password of ' + u.username, r.password, 'password'));
          },
          msg,
          { confirm: 'Generate a new password for ' + u.username + '? Its open sessions are closed.' },
        ),
      ),
      adminOnly(
        action('Delete', async () => (await api.del(`/users/${u.id}`), reload()), msg, {
          confirm: 'Delete proxy user ' + u.username + '?',
          class: 'secondary small outline',
        }),
      ),
    ],
  });

  const create = form(
    [
      { name: 'username', label: 'Username', required: true, placeholder: 'letters, digits, . _' },
      { name: 'maxConnections', label: 'Max connections', type: 'number', placeholder: '0 = unlimited' },
      { name: 'bandwidthDownBps', label: 'Download bytes/s', type: 'number', placeholder: '0 = unlimited' },
      { name: 'defaultPool', label: 'Default pool', placeholder: 'none: direct' },
      { name: 'expiresAt', label: 'Expires at', placeholder: '2030-01-01T00:00:00Z' },
      { name: 'note', label: 'Note' },
    ],
    'Create user',
    async (v) => {
      const r = await api.post('/users', compact(v, LIMITS));
      const u = r.user;
      replace(
        created,
        secretBox('Password of ' + u.username, r.password, 'password'),
        h('p', action('Show proxy environment', () => env(u), create.msg)),
      );
      list.reload();
    },
    { name: 'create-user', reset: true },
  );

  replace(root, api.isAdmin() ? section('New proxy user', create.el, created) : null, list.el);
}

async function usage(u) {
  const r = await api.get(`/users/${u.id}/usage`);
  dialog(
    'Usage of ' + u.username,
    h(
      'dl',
      { class: 'kv' },
      h('dt', 'uploaded'),
      h('dd', fmt.bytes(r.bytesUp)),
      h('dt', 'downloaded'),
      h('dd', fmt.bytes(r.bytesDown)),
      h('dt', 'sessions'),
      h('dd', String(r.connections)),
      h('dt', 'last seen'),
      h('dd', fmt.time(r.lastSeenAt) || 'never'),
    ),
  );
}

async function env(u) {
  const r = await api.get(`/users/${u.id}/proxy-env`);
  const text = Object.entries(r)
    .map(([k, v]) => `export ${k}='${v}'`)
    .join('\n');
  dialog(
    'Proxy environment of ' + u.username,
    h('p', 'Contains the password. Paste into the shell of the machines that use the proxy.'),
    h('pre', { class: 'env' }, text),
    copyButton(text),
  );
}

function limits(u, reload) {
  const f = form(
    [
      ...LIMITS.map((k) => ({ name: k, label: k, type: 'number', value: u[k] || 0 })),
      { name: 'expiresAt', label: 'Expires at (empty: never)', value: u.expiresAt || '' },
      { name: 'defaultPool', label: 'Default pool (empty: direct)', value: u.defaultPool || '' },
      { name: 'note', label: 'Note', value: u.note || '' },
    ],
    'Save',
    async (v) => {
      const body = {};
      for (const k of LIMITS) body[k] = Number(v[k] || 0);
      body.expiresAt = v.expiresAt || null;
      body.defaultPool = v.defaultPool || null;
      body.note = v.note || null;
      await api.patch(`/users/${u.id}`, body);
      d.close();
      reload();
    },
    { name: 'limits' },
  );
  const d = dialog('Limits of ' + u.username, f.el);
}
