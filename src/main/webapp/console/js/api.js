// The admin API from the browser. The access token lives in this module's memory only; the
// refresh token is an HttpOnly cookie the page cannot read, sent by the browser to
// /api/v1/auth/refresh only, and every call that uses it carries X-Sluice-Refresh: cookie
// (the CSRF guard; docs/security.md).

const BASE = '/api/v1';
const COOKIE_MODE = { 'X-Sluice-Refresh': 'cookie' };
// Not a secret: whether this browser signed in before, so a first visit does not try a refresh.
const HINT = 'sluice.signedIn';

let session = null; // {accessToken, role, username, passwordChangeRequired, expiresAt}
let refreshing = null;
let refreshTimer = null;
const listeners = new Set();

/** A failed call: status and the RFC 9457 problem document. */
export class ApiError extends Error {
  constructor(status, problem) {
    const p = problem && typeof problem === 'object' ? problem : {};
    super(p.detail || p.title || 'HTTP ' + status);
    this.status = status;
    this.type = (p.type || '').replace('/docs/problems#', '');
    this.problem = p;
  }
}

export function current() {
  return session;
}

export function isAdmin() {
  return session && session.role === 'admin';
}

/** Called with the session (or null) whenever it changes. */
export function onSession(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function setSession(data, username) {
  clearTimeout(refreshTimer);
  if (!data) {
    session = null;
    localStorage.removeItem(HINT);
  } else {
    session = {
      accessToken: data.accessToken,
      role: data.passwordChangeRequired ? 'password-change' : data.role,
      username: username || (session && session.username) || '',
      passwordChangeRequired: !!data.passwordChangeRequired,
      expiresAt: Date.now() + data.expiresIn * 1000,
    };
    localStorage.setItem(HINT, '1');
    // Renew a minute before the access token expires.
    const wait = Math.max(10, data.expiresIn - 60) * 1000;
    refreshTimer = setTimeout(() => refresh().catch(() => setSession(null)), wait);
  }
  listeners.forEach((fn) => fn(session));
}

async function send(method, path, body, headers, token) {
  const h = { Accept: 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (token) h.Authorization = 'Bearer ' + token;
  const r = await fetch(BASE + path, {
    method,
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (r.status === 204) return { status: 204, data: null, headers: r.headers };
  const type = r.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await r.json() : await r.text();
  if (!r.ok) throw new ApiError(r.status, data);
  return { status: r.status, data, headers: r.headers };
}

/** One API call with the session's token; a 401 triggers one refresh and a retry. */
export async function api(method, path, body, headers = {}) {
  const token = session && session.accessToken;
  try {
    return (await send(method, path, body, headers, token)).data;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && token && !path.startsWith('/auth/')) {
      await refresh();
      return (await send(method, path, body, headers, session.accessToken)).data;
    }
    throw e;
  }
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const put = (path, body) => api('PUT', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== '' && v !== null && v !== undefined) q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

export async function login(username, password, totp, recoveryCode) {
  const body = { username, password };
  if (totp) body.totp = totp;
  if (recoveryCode) body.recoveryCode = recoveryCode;
  const { data } = await send('POST', '/auth/login', body, COOKIE_MODE);
  setSession(data, username);
  return session;
}

export async function changePassword(currentPassword, newPassword) {
  const { data } = await send(
    'POST',
    '/auth/password',
    { currentPassword, newPassword },
    COOKIE_MODE,
    session && session.accessToken,
  );
  setSession(data);
  return session;
}

/** A new access token from the refresh cookie; one refresh at a time. */
export function refresh() {
  if (!refreshing) {
    refreshing = send('POST', '/auth/refresh', {}, COOKIE_MODE)
      .then(async ({ data }) => {
        const me = await send('GET', '/auth/me', undefined, {}, data.accessToken);
        setSession(data, me.data.username);
        return session;
      })
      .catch((e) => {
        setSession(null);
        throw e;
      })
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

/** Resumes a session after a page load, when this browser signed in before. */
export async function resume() {
  if (!localStorage.getItem(HINT)) return null;
  try {
    return await refresh();
  } catch (e) {
    return null;
  }
}

export async function logout() {
  try {
    await send('DELETE', '/auth/refresh', undefined, COOKIE_MODE);
  } finally {
    setSession(null);
  }
}

/**
 * The live stream GET /api/v1/events, read with fetch (so the token goes in a header, never in
 * a URL). Calls fn(eventName, data) per event; reconnects after errors and token expiry.
 * Returns a function that stops it.
 */
export function events(fn) {
  let stopped = false;
  let ctrl = null;
  async function run() {
    while (!stopped) {
      ctrl = new AbortController();
      try {
        if (!session || session.role === 'password-change') return;
        const r = await fetch(BASE + '/events', {
          headers: { Accept: 'text/event-stream', Authorization: 'Bearer ' + session.accessToken },
          signal: ctrl.signal,
          cache: 'no-store',
        });
        if (r.status === 401) {
          await refresh();
          continue;
        }
        if (!r.ok) throw new Error('events: HTTP ' + r.status);
        fn('open', {});
        const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value.replace(/\r\n/g, '\n');
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            dispatch(buf.slice(0, i), fn);
            buf = buf.slice(i + 2);
          }
        }
      } catch (e) {
        if (stopped) return;
      }
      fn('closed', {});
      await new Promise((res) => setTimeout(res, 2000));
    }
  }
  run();
  return () => {
    stopped = true;
    if (ctrl) ctrl.abort();
  };
}

function dispatch(block, fn) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (!data.length) return;
  try {
    fn(name, JSON.parse(data.join('\n')));
  } catch (e) {
    console.warn('unreadable event', name);
  }
}
