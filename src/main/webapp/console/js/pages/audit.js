// The audit log: filters and pages go to the API.
import { h, replace, fmt } from '../dom.js';
import * as api from '../api.js';
import { table, badge } from '../ui.js';

export function render(root) {
  const list = table({
    name: 'audit',
    size: 50,
    filters: [
      { name: 'actor', label: 'Actor' },
      { name: 'action', label: 'Action (e.g. users.create)' },
      { name: 'target', label: 'Target' },
      { name: 'from', label: 'From (ISO time)' },
      { name: 'to', label: 'To (ISO time)' },
    ],
    load: (q) => api.get('/audit' + api.query(q)),
    columns: [
      { key: 'at', label: 'Time', value: (e) => fmt.time(e.at) },
      { key: 'actor', label: 'Actor' },
      { key: 'sourceIp', label: 'From' },
      { key: 'action', label: 'Action' },
      { key: 'target', label: 'Target' },
      { key: 'outcome', label: 'Outcome', value: (e) => badge(e.outcome === 'success' ? 'enabled' : 'failed') },
      { key: 'detail', label: 'Detail' },
    ],
  });
  replace(root, list.el);
}
