// Talks to the node that served the page (same origin). Credentials, once given, go with every request
// as HTTP Basic and live only in this tab's sessionStorage.
const AUTH_KEY = 'sibyl.dashboard.auth';

export class AuthRequired extends Error {
  constructor(path) { super(`${path}: authentication required`); this.name = 'AuthRequired'; }
}

export function setCredentials(user, password) {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let bin = '';
  bytes.forEach(b => { bin += String.fromCharCode(b); });
  sessionStorage.setItem(AUTH_KEY, 'Basic ' + btoa(bin));
}

export function hasCredentials() {
  return sessionStorage.getItem(AUTH_KEY) !== null;
}

/** GET a path; JSON unless `text`. Throws AuthRequired on 401, an Error with the API's message otherwise. */
export async function get(path, { text = false, timeoutMs = 4000 } = {}) {
  const headers = { 'Accept': text ? 'text/plain' : 'application/json', 'X-Requested-With': 'sibyl-dashboard' };
  const auth = sessionStorage.getItem(AUTH_KEY);
  if (auth) headers['Authorization'] = auth;
  const response = await fetch(path, { headers, cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
  if (response.status === 401) throw new AuthRequired(path);
  if (!response.ok) {
    let message = response.statusText;
    try {
      const body = await response.json();
      message = body?.error?.message ?? message;
    } catch (ignored) { /* not JSON */ }
    throw new Error(`${path}: ${response.status} ${message}`);
  }
  return text ? response.text() : response.json();
}
