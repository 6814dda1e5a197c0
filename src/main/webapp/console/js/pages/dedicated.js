// Dedicated ports: look up a proxy user's port and exit, assign, pin an exit, release.
import { h, replace, fmt } from '../dom.js';
import * as api from '../api.js';
import { form, action, notice, section } from '../ui.js';

export function render(root) {
  const box = h('div', { id: 'assignment' });
  const find = form(
    [{ name: 'username', label: 'Proxy user name', required: true }],
    'Show',
    async (v) => {
      const r = await api.get('/users' + api.query({ username: v.username, size: 20 }));
      const u = (r.items || []).find((x) => x.username === v.username) || (r.items || [])[0];
      if (!u) throw new Error('no proxy user named like ' + v.username);
      await show(box, u);
    },
    { name: 'find-user' },
  );
  replace(root, h('p', 'A dedicated port sends every session of one user through one pinned exit.'), find.el, box);
}

async function show(box, u) {
  const msg = notice();
  let a = null;
  // GET answers 404 when the user has no port: ask the user list's answer first.
  try {
    a = await api.get(`/users/${u.id}/assignment`);
  } catch (e) {
    if (e.status !== 404) throw e;
  }
  const refresh = () => show(box, u);
  if (!a) {
    replace(
      box,
      section(
        u.username,
        h('p', 'No dedicated port.'),
        api.isAdmin() ? action('Assign a port', async () => (await api.post(`/users/${u.id}/assignment`), refresh()), msg, { class: 'small' }) : null,
        msg.el,
      ),
    );
    return;
  }
  const pin = form(
    [
      { name: 'exitId', label: 'Pin exit id', type: 'number' },
      { name: 'reassign', label: 'When the exit fails', type: 'select', options: [['auto', 'move to another exit'], ['never', 'refuse sessions']], value: a.reassign },
    ],
    'Save',
    async (v) => {
      const body = { reassign: v.reassign };
      if (v.exitId) body.exitId = Number(v.exitId);
      await api.patch(`/users/${u.id}/assignment`, body);
      refresh();
    },
    { name: 'pin' },
  );
  replace(
    box,
    section(
      u.username,
      h('dl', { class: 'kv' }, h('dt', 'port'), h('dd', String(a.port)), h('dt', 'exit'), h('dd', a.exitId ? String(a.exitId) : 'none (sessions refused)'), h('dt', 'reassign'), h('dd', a.reassign), h('dt', 'since'), h('dd', fmt.time(a.createdAt))),
      api.isAdmin() ? pin.el : null,
      api.isAdmin() ? action('Release the port', async () => (await api.del(`/users/${u.id}/assignment`), refresh()), msg, { confirm: 'Release port ' + a.port + '?' }) : null,
      msg.el,
      (a.history || []).length
        ? h(
            'table',
            { class: 'striped' },
            h('thead', h('tr', h('th', 'at'), h('th', 'from exit'), h('th', 'to exit'), h('th', 'reason'))),
            h('tbody', a.history.map((m) => h('tr', h('td', fmt.time(m.at)), h('td', String(m.fromExitId ?? '')), h('td', String(m.toExitId ?? '')), h('td', m.reason || '')))),
          )
        : null,
    ),
  );
}
