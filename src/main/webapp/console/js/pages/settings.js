// Settings: HTTPS only, the exit monitor, the nodes of the cluster.
import { h, replace, fmt } from '../dom.js';
import * as api from '../api.js';
import { table, action, notice, section, badge, adminOnly } from '../ui.js';

export async function render(root) {
  const msg = notice();
  const https = h('div');
  const monitor = h('div');
  async function load() {
    const [h1, m] = await Promise.all([api.get('/settings/require-https'), api.get('/exits/monitor')]);
    replace(
      https,
      h('p', 'Plain HTTP for the API, the console and exports is ', h('strong', { id: 'require-https' }, h1.enabled ? 'refused' : 'allowed'), '.'),
      adminOnly(
        action(
          h1.enabled ? 'Allow plain HTTP' : 'Require HTTPS',
          async () => {
            await api.put('/settings/require-https', { enabled: !h1.enabled });
            await load();
          },
          msg,
          { class: 'small', confirm: h1.enabled ? null : 'Require HTTPS? This page then works over https:// only.' },
        ),
      ),
    );
    replace(
      monitor,
      h('p', 'The periodic exit monitor of this node is ', badge(m.running ? 'running' : 'disabled'), ' every ' + m.intervalSeconds + ' s; last run ', fmt.time(m.lastRun) || 'never', '.'),
      adminOnly(action(m.running ? 'Stop' : 'Start', async () => (await api.post('/exits/monitor/' + (m.running ? 'stop' : 'start')), load()), msg, { class: 'small' })),
    );
  }
  replace(
    root,
    msg.el,
    section('HTTPS', https),
    section('Exit monitor', monitor),
    section(
      'Nodes',
      table({
        name: 'nodes',
        load: () => api.get('/nodes'),
        columns: [
          { key: 'name', label: 'Name' },
          { key: 'version', label: 'Version' },
          { key: 'advertiseUrl', label: 'URL' },
          { key: 'alive', label: 'Alive', value: (n) => badge(n.alive ? 'online' : 'offline') },
          { key: 'self', label: 'This node', value: (n) => fmt.yes(n.self) },
          { key: 'heartbeatAt', label: 'Heartbeat', value: (n) => fmt.time(n.heartbeatAt) },
        ],
      }).el,
    ),
  );
  try {
    await load();
  } catch (e) {
    msg.error(e);
  }
}
