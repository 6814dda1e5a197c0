// Overview: the stats document, exits by state, tunnels and agents online, live sessions, with
// charts fed by the live stream.
import { h, replace, fmt } from '../dom.js';
import * as api from '../api.js';
import { bars, line } from '../charts.js';
import { notice, section } from '../ui.js';

const STATES = ['healthy', 'suspect', 'unhealthy', 'disabled'];

function card(what, value, id) {
  return h('div', { class: 'card', dataset: { card: id } }, h('span', { class: 'num' }, String(value)), h('span', { class: 'what' }, what));
}

export async function render(root, { live }) {
  const msg = notice();
  const cards = h('div', { class: 'cards' });
  const charts = h('div', { class: 'charts' });
  const statsBox = h('div');
  replace(root, msg.el, cards, charts, statsBox);

  let stats = null;
  let tunnels = [];
  let agents = [];
  try {
    [stats, tunnels, agents] = await Promise.all([
      api.get('/stats'),
      api.get('/tunnels').then((r) => r.items || r),
      api.get('/agents').then((r) => r.items || r),
    ]);
  } catch (e) {
    msg.error(e);
  }

  function draw() {
    const l = live.last || {};
    const exits = l.exits || {};
    replace(
      cards,
      card('live sessions (this node)', l.sessions ?? '-', 'sessions'),
      card('exits healthy', exits.healthy ?? '-', 'exits-healthy'),
      card('exits unhealthy', exits.unhealthy ?? '-', 'exits-unhealthy'),
      card('agents online', l.agentsOnline ?? '-', 'agents'),
      card('tunnel mappings', tunnels.length, 'tunnels'),
      stats ? card('proxy users (active)', stats.users.total + ' (' + stats.users.active + ')', 'users') : null,
      stats ? card('VMs (active)', stats.vms.total + ' (' + stats.vms.active + ')', 'vms') : null,
    );
    replace(
      charts,
      h('figure', bars(STATES.map((s) => ({ label: s, value: exits[s] || 0, cls: s }))), h('figcaption', 'Exits by state')),
      h(
        'figure',
        line(live.history.map((x) => x.sessions ?? null), { label: 'sessions' }),
        h('figcaption', 'Live sessions, last ' + live.history.length * 2 + ' s'),
      ),
      agents.length === 0
        ? null
        : h(
        'figure',
        bars(agents.slice(0, 8).map((a) => ({ label: a.name, value: a.connected ? 1 : 0, cls: a.connected ? 'healthy' : 'disabled' }))),
        h('figcaption', 'Agents (1 = online)'),
      ),
    );
  }

  if (stats) {
    replace(
      statsBox,
      section(
        'Stats document',
        h(
          'dl',
          { class: 'kv' },
          h('dt', 'external addresses'),
          h('dd', (stats.externalAddresses || []).join(', ') || 'none found'),
          h('dt', 'VM sessions'),
          h('dd', stats.sessions.active + ' active, ' + stats.sessions.total + ' total'),
          h('dt', 'IPv6'),
          h('dd', stats.ipv6.enabled ? stats.ipv6.count + ' VMs with a dedicated address' : 'no IPv6 pool'),
          h('dt', 'generated'),
          h('dd', fmt.time(stats.generatedAt)),
        ),
        (stats.pools || []).length
          ? h('figure', bars(stats.pools.map((p) => ({ label: p.name, value: p.usedPercent }))), h('figcaption', 'Address pools, % taken'))
          : null,
        (stats.recommendations || []).map((r) => h('p', { class: 'warning' }, r)),
      ),
    );
  }
  draw();
  return live.on((name) => {
    if (name === 'stats') draw();
  });
}
