// Alerts: firing and resolved alerts, the channels (secrets are never shown).
import { h, replace, fmt } from '../dom.js';
import * as api from '../api.js';
import { table, action, badge, section, adminOnly } from '../ui.js';

export function render(root) {
  const cols = [
    { key: 'rule', label: 'Rule' },
    { key: 'key', label: 'Key' },
    { key: 'state', label: 'State', value: (a) => badge(a.state) },
    { key: 'severity', label: 'Severity' },
    { key: 'summary', label: 'Summary' },
    { key: 'startsAt', label: 'Since', value: (a) => fmt.time(a.startsAt) },
  ];
  let doc = null;
  const load = async (which) => {
    if (!doc || which === 'firing') doc = await api.get('/alerts');
    return doc[which] || [];
  };
  replace(
    root,
    section('Firing and pending', table({ name: 'alerts-firing', load: () => load('firing'), columns: cols, empty: 'Nothing is firing' }).el),
    section('Resolved', table({ name: 'alerts-history', load: () => load('history'), columns: cols }).el),
    section(
      'Channels',
      table({
        name: 'alert-channels',
        load: () => api.get('/alerts/channels'),
        columns: [
          { key: 'id', label: 'id' },
          { key: 'name', label: 'Name' },
          { key: 'type', label: 'Type' },
          { key: 'enabled', label: 'Enabled', value: (c) => badge(c.enabled ? 'enabled' : 'disabled') },
        ],
        actions: (c, reload, msg) => [
          adminOnly(
            action(
              'Send test',
              async () => {
                const r = await api.post(`/alerts/channels/${c.id}/test`);
                if (r.sent) msg.ok('test message sent through ' + c.name);
                else msg.error(new Error('not sent: ' + r.error));
              },
              msg,
            ),
          ),
        ],
      }).el,
    ),
  );
}
