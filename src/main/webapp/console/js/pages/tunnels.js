// Reverse tunnels: agents (online state, token shown once) and port mappings with their stats.
import { h, replace, fmt } from '../dom.js';
import * as api from '../api.js';
import { table, form, compact, action, badge, section, tabs, dialog, secretBox, adminOnly } from '../ui.js';

export function render(root, { live }) {
  let agentsTable = null;
  replace(
    root,
    tabs([
      {
        label: 'Agents',
        render: () => {
          const a = agents();
          agentsTable = a.table;
          return a.el;
        },
      },
      { label: 'Mappings', render: mappings },
    ]),
  );
  return live.on((name) => {
    if (name === 'agent' && agentsTable) agentsTable.reload();
  });
}

function agents() {
  const created = h('div');
  const list = table({
    name: 'agents',
    load: () => api.get('/agents'),
    columns: [
      { key: 'id', label: 'id' },
      { key: 'name', label: 'Name' },
      { key: 'connected', label: 'Online', value: (a) => badge(a.connected || a.connectedNode ? 'online' : 'offline') },
      { key: 'connectedNode', label: 'Node', value: (a) => a.connectedNode || '' },
      { key: 'enabled', label: 'Enabled', value: (a) => badge(a.enabled ? 'enabled' : 'disabled') },
      { key: 'remoteAddress', label: 'From' },
      { key: 'version', label: 'Version' },
      { key: 'activeStreams', label: 'Streams' },
      { key: 'allowedTargets', label: 'Allowed targets', value: (a) => (a.allowedTargets || []).join(', ') },
      { key: 'lastHeartbeat', label: 'Last heartbeat', value: (a) => fmt.time(a.lastHeartbeat) },
    ],
    actions: (a, reload, msg) => [
      adminOnly(
        a.enabled
          ? action('Disable', async () => (await api.post(`/agents/${a.id}/disable`), reload()), msg)
          : action('Enable', async () => (await api.post(`/agents/${a.id}/enable`), reload()), msg),
      ),
      adminOnly(
        action(
          'New token',
          async () => {
            const r = await api.post(`/agents/${a.id}/token`);
            replace(created, secretBox('Token of agent ' + a.name, r.token, 'agent-token'));
          },
          msg,
          { confirm: 'Rotate the token of ' + a.name + '? Its connection is dropped.' },
        ),
      ),
      adminOnly(action('Delete', async () => (await api.del(`/agents/${a.id}`), reload()), msg, { confirm: 'Delete agent ' + a.name + ' and its mappings?' })),
    ],
  });
  const create = form(
    [
      { name: 'name', label: 'Name', required: true },
      { name: 'allowedTargets', label: 'Allowed targets (CIDR:PORTS, comma separated)' },
    ],
    'Create agent',
    async (v) => {
      const body = { name: v.name };
      if (v.allowedTargets) body.allowedTargets = v.allowedTargets.split(/[\s,]+/).filter(Boolean);
      const r = await api.post('/agents', body);
      replace(created, secretBox('Token of agent ' + v.name, r.token, 'agent-token'));
      list.reload();
    },
    { name: 'create-agent', reset: true },
  );
  return { el: h('div', api.isAdmin() ? section('New agent', create.el, created) : null, list.el), table: list };
}

function mappings() {
  const list = table({
    name: 'tunnels',
    filters: [{ name: 'agentId', label: 'Agent id', type: 'number' }],
    load: (q) => api.get('/tunnels' + api.query({ agentId: q.agentId })),
    columns: [
      { key: 'id', label: 'id' },
      { key: 'agentId', label: 'Agent' },
      { key: 'publicPort', label: 'Public port' },
      { key: 'targetHost', label: 'Target', value: (t) => t.targetHost + ':' + t.targetPort },
      { key: 'allowedSources', label: 'Sources', value: (t) => (t.allowedSources || []).join(', ') || 'everyone' },
      { key: 'maxConnections', label: 'Max conns', value: (t) => fmt.limit(t.maxConnections) },
      { key: 'servedBy', label: 'Served by', value: (t) => (t.servedBy ? t.servedBy.name : 'every node (agent offline)') },
    ],
    actions: (t, reload, msg) => [
      action('Stats', () => stats(t), msg),
      adminOnly(action('Delete', async () => (await api.del(`/tunnels/${t.id}`), reload()), msg, { confirm: 'Delete mapping of port ' + t.publicPort + '?' })),
    ],
  });
  const create = form(
    [
      { name: 'agentId', label: 'Agent id', type: 'number', required: true },
      { name: 'targetHost', label: 'Target host', required: true },
      { name: 'targetPort', label: 'Target port', type: 'number', required: true },
      { name: 'publicPort', label: 'Public port (empty: allocate)', type: 'number' },
      { name: 'maxConnections', label: 'Max connections', type: 'number' },
    ],
    'Create mapping',
    async (v) => {
      const r = await api.post('/tunnels', compact(v, ['agentId', 'targetPort', 'publicPort', 'maxConnections']));
      create.msg.ok('public port ' + r.publicPort + ' now leads to ' + r.targetHost + ':' + r.targetPort);
      list.reload();
    },
    { name: 'create-tunnel' },
  );
  return h('div', api.isAdmin() ? section('New mapping', create.el) : null, list.el);
}

async function stats(t) {
  const s = await api.get(`/tunnels/${t.id}/stats`);
  dialog(
    'Port ' + t.publicPort,
    h('dl', { class: 'kv' }, Object.entries(s).map(([k, v]) => [h('dt', k), h('dd', typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))])),
  );
}
