// An app backend signing people in with Passkey Auth's hosted page and JSON app API (docs/apps.md).
// Node 20+, no dependencies. Register a public app with the redirect URL APP_URL/callback, then:
//   AUTH_URL=https://auth.example.com APP_URL=http://127.0.0.1:3000 APP_ID=<client id> node app-backend.mjs
import { createServer } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';

const { AUTH_URL, APP_URL, APP_ID, PORT = new URL(APP_URL).port } = process.env;
const CALLBACK = `${APP_URL}/callback`;
const sessions = new Map(); // session id → { verifier, state } while signing in, then { accessToken, refreshToken }

async function appApi(endpoint, body, accessToken) {
  const response = await fetch(`${AUTH_URL}/auth/api/app/${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) },
    body: JSON.stringify(body),
  });
  return response.status === 204 ? {} : { status: response.status, ...(await response.json()) };
}

const cookieSession = (req) => /(?:^|; )sid=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];

createServer(async (req, res) => {
  const url = new URL(req.url, APP_URL);
  const sid = cookieSession(req);
  const session = sessions.get(sid);
  const send = (status, headers, text = '') => res.writeHead(status, headers).end(text);

  if (url.pathname === '/login') {
    // PKCE: keep the verifier here, send only its S256 challenge to the hosted page.
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(16).toString('base64url');
    const id = randomBytes(16).toString('base64url');
    sessions.set(id, { verifier, state });
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const login = `${AUTH_URL}/auth/app/login?${new URLSearchParams({ redirect_url: CALLBACK, code_challenge: challenge, state })}`;
    return send(302, { location: login, 'set-cookie': `sid=${id}; HttpOnly; SameSite=Lax; Path=/` });
  }
  if (url.pathname === '/callback') {
    if (!session?.verifier || url.searchParams.get('state') !== session.state) return send(400, {}, 'Unexpected sign-in answer');
    const tokens = await appApi('token', { code: url.searchParams.get('code'), code_verifier: session.verifier });
    if (!tokens.access_token) return send(401, {}, `Sign-in failed: ${tokens.detail}`);
    sessions.set(sid, { accessToken: tokens.access_token, refreshToken: tokens.refresh_token });
    return send(302, { location: '/' });
  }
  if (url.pathname === '/logout' && session?.accessToken) {
    await appApi('logout', {}, session.accessToken);
    sessions.delete(sid);
    return send(302, { location: '/' });
  }
  // Every page: is the access token still good, and whose is it? (An expired one is refreshed once.)
  let check = session?.accessToken ? await appApi('check', { token: session.accessToken, app_id: APP_ID }) : { valid: false };
  if (!check.valid && session?.refreshToken) {
    const tokens = await appApi('refresh', { refresh_token: session.refreshToken });
    if (tokens.access_token) {
      sessions.set(sid, { accessToken: tokens.access_token, refreshToken: tokens.refresh_token });
      check = { valid: true, user: tokens.user };
    }
  }
  if (!check.valid) return send(200, { 'content-type': 'text/plain' }, 'Not signed in: /login');
  send(200, { 'content-type': 'text/plain' }, `Signed in as ${check.user.name} (${check.user.permissions.join(', ')})`);
}).listen(Number(PORT), '127.0.0.1', () => console.log(`app backend listening on ${APP_URL}`));
