// Admins and security: my password and two-factor login (QR code, recovery codes), admin
// accounts, API keys, the panel whitelist (with the lock-out warning naming the caller's
// address) and the proxy client whitelist.
import { h, replace, fmt } from '../dom.js';
import * as api from '../api.js';
import { table, form, compact, action, badge, section, tabs, notice, secretBox, copyButton } from '../ui.js';

export function render(root) {
  const admin = api.isAdmin();
  replace(
    root,
    tabs([
      { label: 'My account', render: account },
      { label: 'Panel whitelist', render: panelWhitelist },
      { label: 'Proxy whitelist', render: proxyWhitelist },
      ...(admin ? [{ label: 'Admins', render: admins }, { label: 'API keys', render: apiKeys }] : []),
    ]),
  );
}

function account() {
  const totpBox = h('div', { id: 'totp' });
  const pw = form(
    [
      { name: 'currentPassword', label: 'Current password', type: 'password', required: true, autocomplete: 'current-password' },
      { name: 'newPassword', label: 'New password', type: 'password', required: true, autocomplete: 'new-password' },
    ],
    'Change password',
    async (v) => {
      await api.changePassword(v.currentPassword, v.newPassword);
      pw.msg.ok('password changed');
    },
    { name: 'my-password', reset: true },
  );
  const msg = notice();
  replace(
    totpBox,
    h('p', 'Two-factor login asks for a code from an authenticator app at every sign-in.'),
    action('Set up two-factor login', () => enroll(totpBox, msg), msg, { class: 'small', name: 'enroll-totp' }),
    msg.el,
  );
  return h('div', section('Password of ' + api.current().username, pw.el), section('Two-factor login (TOTP)', totpBox));
}

async function enroll(box, msg) {
  const e = await api.post('/auth/totp/enroll');
  const confirm = form(
    [{ name: 'code', label: 'Code shown by the app', required: true, inputmode: 'numeric', autocomplete: 'one-time-code' }],
    'Turn on',
    async (v) => {
      const r = await api.post('/auth/totp/confirm', { code: v.code });
      const codes = r.recoveryCodes || [];
      replace(
        box,
        h('p', { class: 'notice ok' }, 'Two-factor login is on.'),
        h('strong', 'Recovery codes (shown once; each works once instead of a code):'),
        h('ol', { class: 'codes', id: 'recovery-codes' }, codes.map((c) => h('li', c))),
        copyButton(codes.join('\n'), 'Copy all'),
      );
    },
    { name: 'totp-confirm' },
  );
  replace(
    box,
    h('p', 'Scan the QR code with an authenticator app, or type the secret, then enter the code it shows.'),
    h('img', { class: 'qr', src: e.qrPng, alt: 'QR code of the TOTP secret' }),
    h('dl', { class: 'kv' }, h('dt', 'secret'), h('dd', { id: 'totp-secret' }, e.secret), h('dt', 'URI'), h('dd', e.otpauthUri)),
    confirm.el,
    msg.el,
  );
}

/** IPv4 only: true when ip is inside one of the CIDRs (IPv6 lists are left to the server). */
function covers(cidrs, ip) {
  const v4 = (a) => {
    const p = a.split('.').map(Number);
    return p.length === 4 && p.every((x) => x >= 0 && x <= 255) ? ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0 : null;
  };
  const me = v4(ip);
  if (me === null) return null;
  return cidrs.some((c) => {
    const [net, bits = '32'] = c.split('/');
    const n = v4(net);
    const b = Number(bits);
    if (n === null || !(b >= 0 && b <= 32)) return false;
    const mask = b === 0 ? 0 : (~0 << (32 - b)) >>> 0;
    return ((n & mask) >>> 0) === ((me & mask) >>> 0);
  });
}

function panelWhitelist() {
  const box = h('div');
  (async () => {
    const msg = notice();
    try {
      const [wl, me] = await Promise.all([api.get('/settings/panel-whitelist'), api.get('/ip')]);
      const area = h('textarea', { name: 'cidrs', rows: 5, placeholder: 'one CIDR per line; empty: every address' });
      area.value = (wl.cidrs || []).join('\n');
      const warning = h('div', { id: 'lockout-warning', class: 'warning', hidden: true });
      const read = () => area.value.split(/[\s,]+/).filter(Boolean);
      const check = () => {
        const list = read();
        const ok = list.length === 0 || covers(list, me.ip) !== false;
        warning.hidden = ok;
        replace(warning, ok ? '' : 'This list does not contain your address ' + me.ip + ': saving it would lock you out of the console and the API.');
      };
      area.addEventListener('input', check);
      const save = async (force) => {
        msg.clear();
        try {
          const body = { cidrs: read() };
          if (force) body.force = true;
          const r = await api.put('/settings/panel-whitelist', body);
          area.value = r.cidrs.join('\n');
          msg.ok('panel whitelist saved: ' + (r.cidrs.length ? r.cidrs.join(', ') : 'every address'));
          forceButton.hidden = true;
        } catch (e) {
          msg.error(e);
          if (e.type === 'self-lockout') {
            warning.hidden = false;
            replace(warning, 'Refused: ' + e.message);
            forceButton.hidden = false;
          }
        }
      };
      const forceButton = h('button', { type: 'button', class: 'contrast small', hidden: true, id: 'force-save', onclick: () => window.confirm('Lock yourself out?') && save(true) }, 'Save anyway (lock me out)');
      replace(
        box,
        h('p', 'Addresses allowed to reach the console and the admin API. Your address as this server sees it: ', h('code', { id: 'my-address' }, me.ip)),
        wl.disabledByEnvironment ? h('p', { class: 'warning' }, 'SLUICE_PANEL_WHITELIST_DISABLE is set: the list is not enforced.') : null,
        area,
        warning,
        api.isAdmin() ? h('div', h('button', { type: 'button', class: 'small', id: 'save-whitelist', onclick: () => save(false) }, 'Save'), forceButton) : null,
        msg.el,
      );
      check();
    } catch (e) {
      msg.error(e);
      replace(box, msg.el);
    }
  })();
  return box;
}

function proxyWhitelist() {
  const box = h('div');
  (async () => {
    const msg = notice();
    try {
      const wl = await api.get('/settings/proxy-client-whitelist');
      const area = h('textarea', { name: 'proxy-cidrs', rows: 5, placeholder: 'one CIDR per line; empty: every address' });
      area.value = (wl.cidrs || []).join('\n');
      replace(
        box,
        h('p', 'Clients allowed to use the SOCKS5 and HTTP proxy listeners (new connections).'),
        area,
        api.isAdmin()
          ? action(
              'Save',
              async () => {
                const r = await api.put('/settings/proxy-client-whitelist', { cidrs: area.value.split(/[\s,]+/).filter(Boolean) });
                msg.ok('proxy client whitelist saved: ' + (r.cidrs.length ? r.cidrs.join(', ') : 'every address'));
              },
              msg,
              { class: 'small' },
            )
          : null,
        msg.el,
      );
    } catch (e) {
      msg.error(e);
      replace(box, msg.el);
    }
  })();
  return box;
}

function admins() {
  const list = table({
    name: 'admins',
    load: () => api.get('/admins'),
    columns: [
      { key: 'id', label: 'id' },
      { key: 'username', label: 'Username' },
      { key: 'role', label: 'Role' },
      { key: 'enabled', label: 'Enabled', value: (a) => badge(a.enabled ? 'enabled' : 'disabled') },
      { key: 'passwordChangeRequired', label: 'Must change password', value: (a) => fmt.yes(a.passwordChangeRequired) },
      { key: 'lastLoginAt', label: 'Last login', value: (a) => fmt.time(a.lastLoginAt) },
    ],
    actions: (a, reload, msg) =>
      a.username === api.current().username
        ? []
        : [
            a.enabled
              ? action('Disable', async () => (await api.post(`/admins/${a.id}/disable`), reload()), msg)
              : action('Enable', async () => (await api.post(`/admins/${a.id}/enable`), reload()), msg),
          ],
  });
  const create = form(
    [
      { name: 'username', label: 'Username', required: true },
      { name: 'password', label: 'First password (changed at first login)', type: 'password', required: true, autocomplete: 'new-password' },
      { name: 'role', label: 'Role', type: 'select', options: ['viewer', 'admin'] },
    ],
    'Create admin',
    async (v) => {
      await api.post('/admins', v);
      create.msg.ok('account ' + v.username + ' created');
      list.reload();
    },
    { name: 'create-admin', reset: true },
  );
  return h('div', section('New account', create.el), list.el);
}

function apiKeys() {
  const created = h('div');
  const list = table({
    name: 'api-keys',
    load: () => api.get('/api-keys'),
    columns: [
      { key: 'id', label: 'id' },
      { key: 'name', label: 'Name' },
      { key: 'role', label: 'Role' },
      { key: 'active', label: 'Active', value: (k) => badge(k.active ? 'enabled' : 'disabled') },
      { key: 'expiresAt', label: 'Expires', value: (k) => fmt.time(k.expiresAt) },
      { key: 'lastUsedAt', label: 'Last used', value: (k) => fmt.time(k.lastUsedAt) },
    ],
    actions: (k, reload, msg) =>
      k.active ? [action('Revoke', async () => (await api.del(`/api-keys/${k.id}`), reload()), msg, { confirm: 'Revoke API key ' + k.name + '?' })] : [],
  });
  const create = form(
    [
      { name: 'name', label: 'Name', required: true },
      { name: 'expiresAt', label: 'Expires at (default 365 days)' },
    ],
    'Create API key',
    async (v) => {
      const r = await api.post('/api-keys', { ...compact(v), role: 'orchestrator' });
      replace(created, secretBox('Token of ' + v.name, r.token, 'api-key'));
      list.reload();
    },
    { name: 'create-api-key', reset: true },
  );
  return h('div', section('New API key (role orchestrator)', create.el, created), list.el);
}
