// The host firewall: status of this node, the rules as text, check now.
import { h, replace, fmt } from '../dom.js';
import * as api from '../api.js';
import { action, notice, section } from '../ui.js';

export async function render(root) {
  const msg = notice();
  const status = h('dl', { class: 'kv' });
  const rules = h('pre', { class: 'ruleset' });
  async function load() {
    const s = await api.get('/firewall/status');
    replace(status, Object.entries(s).map(([k, v]) => [h('dt', k), h('dd', v === null || v === undefined ? '' : String(v))]));
    const r = await fetchRules();
    rules.textContent = r;
  }
  replace(
    root,
    msg.el,
    section('Status of this node', status),
    api.isAdmin()
      ? action(
          'Check the rules now',
          async () => {
            const r = await api.post('/firewall/check');
            msg.ok('check: ' + JSON.stringify(r));
          },
          msg,
          { class: 'small' },
        )
      : null,
    section('Rules (nftables)', rules),
  );
  try {
    await load();
  } catch (e) {
    msg.error(e);
  }
}

async function fetchRules() {
  // text/plain: read through the same authenticated helper.
  return api.api('GET', '/firewall/ruleset?backend=nftables', undefined, { Accept: 'text/plain' });
}
