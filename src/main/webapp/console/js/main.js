// The console's frame: header (server and caller addresses, who is signed in), navigation, the
// live event stream, and a hash router where every page is one module under pages/.
import { h, replace } from './dom.js';
import * as api from './api.js';

// Anything the CSP blocks, and any uncaught error, goes to the browser console as an error
// (the browser tests fail on those).
document.addEventListener('securitypolicyviolation', (e) =>
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')),
);
window.addEventListener('unhandledrejection', (e) => console.error('unhandled: ' + (e.reason && e.reason.message ? e.reason.message : e.reason)));

const PAGES = [
  { path: 'overview', label: 'Overview', load: () => import('./pages/overview.js') },
  { path: 'users', label: 'Proxy users', load: () => import('./pages/users.js') },
  { path: 'exits', label: 'Exits & pools', load: () => import('./pages/exits.js') },
  { path: 'dedicated', label: 'Dedicated ports', load: () => import('./pages/dedicated.js') },
  { path: 'tunnels', label: 'Tunnels', load: () => import('./pages/tunnels.js') },
  { path: 'sessions', label: 'Sessions', load: () => import('./pages/sessions.js') },
  { path: 'security', label: 'Admins & security', load: () => import('./pages/security.js') },
  { path: 'audit', label: 'Audit', load: () => import('./pages/audit.js'), admin: true },
  { path: 'exports', label: 'Exports', load: () => import('./pages/exports.js'), admin: true },
  { path: 'alerts', label: 'Alerts', load: () => import('./pages/alerts.js') },
  { path: 'tor', label: 'Tor', load: () => import('./pages/tor.js') },
  { path: 'vms', label: 'VMs', load: () => import('./pages/vms.js') },
  { path: 'firewall', label: 'Firewall', load: () => import('./pages/firewall.js') },
  { path: 'settings', label: 'Settings', load: () => import('./pages/settings.js') },
];

/** The live feed, shared by the pages: the last stats events and subscribers. */
export const live = {
  history: [],
  last: null,
  connected: false,
  subs: new Set(),
  on(fn) {
    this.subs.add(fn);
    return () => this.subs.delete(fn);
  },
  emit(name, data) {
    if (name === 'stats') {
      this.last = data;
      this.history.push(data);
      if (this.history.length > 90) this.history.shift();
    }
    if (name === 'open') this.connected = true;
    if (name === 'closed') this.connected = false;
    liveDot.className = 'live ' + (this.connected ? 'on' : 'off');
    liveDot.title = this.connected ? 'live updates on' : 'live updates reconnecting';
    this.subs.forEach((fn) => fn(name, data));
  },
};

const liveDot = h('span', { class: 'live off', title: 'live updates off' });
const serverAddr = h('span', { id: 'server-address' });
const callerAddr = h('span', { id: 'caller-address' });
const who = h('span', { id: 'who' });
const nav = h('ul', { class: 'pages' });
const main = document.getElementById('page');
const header = document.getElementById('top');
let stopEvents = null;
let cleanup = null;

replace(
  header,
  h(
    'nav',
    h('ul', h('li', h('a', { href: '#/overview', class: 'brand' }, 'Sluice')), h('li', liveDot)),
    h(
      'ul',
      { class: 'addresses' },
      h('li', h('small', 'server ', serverAddr)),
      h('li', h('small', 'you ', callerAddr)),
      h('li', h('small', who)),
      h('li', h('button', { type: 'button', id: 'sign-out', class: 'secondary small', onclick: signOut }, 'Sign out')),
    ),
  ),
  nav,
);

async function signOut() {
  await api.logout().catch(() => {});
  location.hash = '#/signin';
}

async function addresses() {
  serverAddr.textContent = location.host;
  try {
    const ip = await api.get('/ip');
    callerAddr.textContent = ip.ip;
  } catch (e) {
    callerAddr.textContent = '?';
  }
  const s = api.current();
  if (s && s.role !== 'password-change') {
    try {
      const nodes = await api.get('/nodes');
      const self = (nodes.items || nodes).find((n) => n.self);
      if (self) serverAddr.textContent = location.host + ' (node ' + self.name + ')';
    } catch (e) {
      // the address alone is fine
    }
  }
}

function renderNav(session) {
  const signedIn = session && session.role !== 'password-change';
  header.classList.toggle('signed-in', !!signedIn);
  replace(
    nav,
    signedIn
      ? PAGES.filter((p) => !p.admin || session.role === 'admin').map((p) =>
          h('li', h('a', { href: '#/' + p.path, dataset: { page: p.path } }, p.label)),
        )
      : [],
  );
  who.textContent = signedIn ? session.username + ' (' + session.role + ')' : '';
}

api.onSession((session) => {
  renderNav(session);
  if (session && session.role !== 'password-change' && !stopEvents) {
    stopEvents = api.events((name, data) => live.emit(name, data));
    addresses();
  }
  if (!session && stopEvents) {
    stopEvents();
    stopEvents = null;
    live.emit('closed', {});
  }
});

async function route() {
  if (cleanup) {
    try {
      cleanup();
    } catch (e) {
      console.warn(e);
    }
    cleanup = null;
  }
  const session = api.current();
  let path = (location.hash || '').replace(/^#\/?/, '').split('?')[0];
  if (!session || session.role === 'password-change') path = 'signin';
  else if (!path || path === 'signin') path = 'overview';
  const page = path === 'signin' ? { path, label: 'Sign in', load: () => import('./pages/signin.js') } : PAGES.find((p) => p.path === path);
  nav.querySelectorAll('a').forEach((a) => a.toggleAttribute('aria-current', a.dataset.page === path));
  if (!page) {
    replace(main, h('h2', 'Not found'), h('p', 'No page ', path));
    return;
  }
  document.title = page.label + ' - Sluice';
  const root = h('div', { class: 'page', id: 'page-' + page.path });
  replace(main, h('h2', page.label), root);
  try {
    const mod = await page.load();
    cleanup = (await mod.render(root, { live, go: (p) => (location.hash = '#/' + p) })) || null;
  } catch (e) {
    console.error('page ' + page.path + ' failed: ' + e.message);
    replace(root, h('p', { class: 'notice error' }, 'This page failed to load: ' + e.message));
  }
  main.dataset.ready = page.path;
}

window.addEventListener('hashchange', route);
// Re-route when signing in or out (not when a refresh renews the token).
let lastRole = null;
api.onSession((session) => {
  const role = session ? session.role : null;
  if (role !== lastRole) {
    lastRole = role;
    route();
  }
});

(async () => {
  serverAddr.textContent = location.host;
  addresses();
  await api.resume();
  if (!api.current()) route();
})();
