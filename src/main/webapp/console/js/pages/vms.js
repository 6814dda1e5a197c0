// VMs and their address pools (paged and filtered by the API).
import { h, replace, fmt } from '../dom.js';
import * as api from '../api.js';
import { table, section, badge } from '../ui.js';

export function render(root) {
  replace(
    root,
    section(
      'VMs',
      table({
        name: 'vms',
        filters: [
          { name: 'user', label: 'User id', type: 'number' },
          { name: 'type', label: 'Type', type: 'select', options: ['cli', 'browser'] },
          { name: 'state', label: 'State', type: 'select', options: ['active', 'stopped'] },
        ],
        load: (q) => api.get('/vms' + api.query(q)),
        columns: [
          { key: 'id', label: 'id' },
          { key: 'name', label: 'Name' },
          { key: 'userId', label: 'User' },
          { key: 'type', label: 'Type' },
          { key: 'state', label: 'State', value: (v) => badge(v.state === 'active' ? 'enabled' : 'disabled') },
          { key: 'ipv4', label: 'IPv4' },
          { key: 'ipv6', label: 'IPv6' },
          { key: 'dedicatedPort', label: 'Port' },
          { key: 'createdAt', label: 'Created', value: (v) => fmt.time(v.createdAt) },
        ],
      }).el,
    ),
    section(
      'Address pools',
      table({
        name: 'address-pools',
        load: () => api.get('/address-pools'),
        columns: [
          { key: 'id', label: 'id' },
          { key: 'name', label: 'Name' },
          { key: 'family', label: 'Family' },
          { key: 'prefixes', label: 'Prefixes', value: (p) => (p.prefixes || p.currentPrefixes || []).join(', ') },
          { key: 'usage', label: 'Used', value: (p) => (p.usage ? p.usage.used + ' of ' + p.usage.total : '') },
        ],
      }).el,
    ),
  );
}
