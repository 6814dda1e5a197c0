// Live proxy sessions of this node (or the cluster), refreshed with every stats event; close one.
import { h, replace, fmt } from '../dom.js';
import * as api from '../api.js';
import { table, action, adminOnly } from '../ui.js';

export function render(root, { live }) {
  const list = table({
    name: 'sessions',
    filters: [
      { name: 'userId', label: 'User id', type: 'number' },
      { name: 'scope', label: 'Scope', type: 'select', options: ['cluster'] },
    ],
    load: (q) => api.get('/sessions' + api.query({ userId: q.userId, scope: q.scope })),
    columns: [
      { key: 'id', label: 'id' },
      { key: 'node', label: 'Node' },
      { key: 'username', label: 'User' },
      { key: 'client', label: 'Client' },
      { key: 'protocol', label: 'Protocol' },
      { key: 'destination', label: 'Destination' },
      { key: 'exit', label: 'Exit' },
      { key: 'bytesUp', label: 'Up', value: (s) => fmt.bytes(s.bytesUp) },
      { key: 'bytesDown', label: 'Down', value: (s) => fmt.bytes(s.bytesDown) },
      { key: 'startedAt', label: 'Started', value: (s) => fmt.time(s.startedAt) },
    ],
    actions: (s, reload, msg) => [
      adminOnly(
        action('Close', async () => (await api.del(`/sessions/${encodeURIComponent(s.id)}`), reload()), msg, {
          confirm: 'Close session ' + s.id + ' of ' + s.username + ' to ' + s.destination + '?',
        }),
      ),
    ],
    empty: 'No live sessions',
    size: 500,
  });
  replace(root, h('p', 'Refreshed every 2 seconds while the live stream is on.'), list.el);
  return live.on((name) => {
    if (name === 'stats') list.reload();
  });
}
