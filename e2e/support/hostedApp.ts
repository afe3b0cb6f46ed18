/**
 * A tiny single-page app written for a hosted-page + PKCE sign-in service, as docs/apps.md shows
 * it: its browser script makes the PKCE pair, sends the browser to `/auth/app/login`, and on
 * `/callback` exchanges the code, asks `me`, and can log out, all with `fetch` across origins
 * (CORS). It shows what it learned in `<pre data-testid="hosted-app-result">`.
 */
import { createServer } from 'node:http';

/** `data-testid` of the `<pre>` holding the app's last result as JSON. */
export const HOSTED_APP_RESULT_TESTID = 'hosted-app-result';

export interface RunningHostedApp {
  /** `http://127.0.0.1:PORT`: the sign-in button is on `/`. */
  origin: string;
  stop(): Promise<void>;
}

/** The callback the app on `port` registers. */
export const hostedAppCallback = (port: number): string => `http://127.0.0.1:${port}/callback`;

/** The page's script: docs/apps.md's browser example, with `AUTH` for the service's base URL. */
const SCRIPT = `
const base64url = (data) => btoa(String.fromCharCode(...new Uint8Array(data))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const show = (value) => { document.querySelector('pre').textContent = JSON.stringify(value); };
async function signIn(page) {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem('pkce', JSON.stringify({ verifier, state }));
  location.href = AUTH + '/auth/app/' + page + '?' + new URLSearchParams({ redirect_url: location.origin + '/callback', code_challenge: challenge, state });
}
async function call(method, endpoint, { body, token } = {}) {
  const response = await fetch(AUTH + '/auth/api/app/' + endpoint, {
    method,
    headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: 'Bearer ' + token } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}
async function callback() {
  const params = new URLSearchParams(location.search);
  const { verifier, state } = JSON.parse(sessionStorage.getItem('pkce'));
  if (params.get('state') !== state) return show({ error: 'state mismatch' });
  const tokens = await call('POST', 'token', { body: { code: params.get('code'), code_verifier: verifier } });
  if (tokens.status !== 200) return show(tokens);
  sessionStorage.setItem('access_token', tokens.body.access_token);
  const me = await call('GET', 'me', { token: tokens.body.access_token });
  show({ keys: [...params.keys()], user: tokens.body.user, me: me.body });
}
async function logOut() {
  const token = sessionStorage.getItem('access_token');
  const logout = await call('POST', 'logout', { token });
  const me = await call('GET', 'me', { token });
  show({ logout: logout.status, me: me.status });
}
document.getElementById('login').onclick = () => signIn('login');
document.getElementById('logout').onclick = logOut;
if (location.pathname === '/callback') callback();
`;

/** Starts the app on 127.0.0.1:`port`, signing in at `authOrigin`. */
export async function startHostedApp(port: number, authOrigin: string): Promise<RunningHostedApp> {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Notes</title></head><body><h1>Notes</h1>
<button id="login">Sign in</button> <button id="logout">Log out</button><pre data-testid="${HOSTED_APP_RESULT_TESTID}"></pre>
<script>const AUTH = ${JSON.stringify(authOrigin)};${SCRIPT}</script></body></html>`;
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${port}`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
