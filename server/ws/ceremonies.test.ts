/**
 * Passkey ceremonies over real WebSockets against the real server, with a
 * software authenticator: the happy paths and every way a client can misbehave.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateRegistrationOptions } from '@simplewebauthn/server';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { rawRequest } from '../testing/rawHttp.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { api, authenticate, registerPasskey, setSession, signIn } from '../testing/flows.js';
import { openCeremony, startCeremony } from '../testing/wsClient.js';
import { ceremonyEvents } from './ceremonySocket.js';
import { bootstrap } from '../bootstrap/bootstrap.js';
import { toBase64Url } from '../crypto/base64url.js';
import { CLOSE } from '../../shared/ws.js';
import { sql } from 'kysely';
import type { OpenDatabase } from '../db/database.js';

let server: TestServer;
let origin: string;
let host: string;
let bootstrapToken: string;
const phone = new SoftAuthenticator();

beforeAll(async () => {
  server = await startTestServer(['--origin', 'http://localhost:4401']);
  origin = 'http://localhost:4401';
  host = 'localhost:4401';
  bootstrapToken = (await bootstrap(server.deps.database.db, Date.now())).token!;
});
afterAll(() => server.close());

describe('registration with the bootstrap link, then sign-in', () => {
  let cookie: string;

  it('refuses a passkey made without user verification (a bare touch), and keeps the link', async () => {
    const touchOnly = new SoftAuthenticator();
    const socket = await startCeremony(server.port, '/auth/ws/register', { origin, host }, { type: 'start', token: bootstrapToken });
    const options = await socket.next();
    if (options.type !== 'options' || options.ceremony !== 'register') throw new Error('no options');
    expect(options.options.authenticatorSelection?.userVerification).toBe('required');
    socket.ws.send(JSON.stringify({ type: 'response', response: touchOnly.register(options.options, origin, { userVerified: false }) }));
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'verification_failed' });
    expect(await socket.closed).toBe(CLOSE.forbidden);
  });

  it('registers the first admin passkey and redeems the code for a cookie', async () => {
    const success = await registerPasskey(server.port, phone, { origin }, bootstrapToken);
    expect(success.user.displayName).toBe('Admin');
    const response = await rawRequest(server.port, { method: 'POST', host, path: '/auth/api/set-session', headers: { authorization: `Bearer ${success.code}`, origin } });
    expect(response.status).toBe(200);
    const [setCookie, setCsrfCookie] = response.headers['set-cookie'] as string[];
    expect(setCookie).toMatch(/^passkey-auth=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/; HttpOnly; SameSite=Lax$/);
    // Its CSRF cookie, readable by the page (server/http/csrfToken.ts).
    expect(setCsrfCookie).toMatch(/^passkey-auth-csrf=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/; SameSite=Lax$/);
    cookie = setCookie!.slice(0, setCookie!.indexOf(';'));
    const info = await api(server.port, 'POST', '/auth/api/user-info', { host, cookie, body: {} });
    expect(info.status).toBe(200);
    const body = JSON.parse(info.body);
    expect(body.credentials).toHaveLength(1);
    expect(body.credentials[0]).toMatchObject({ authenticatorName: 'Google Password Manager', synced: true, current: true });
    expect(body.isAdmin).toBe(true);
    expect(body.permissions).toEqual(['auth:admin']);
  });

  it('refuses a replayed exchange code', async () => {
    const success = await authenticate(server.port, phone, { origin });
    await setSession(server.port, success.code, host, origin);
    const replay = await rawRequest(server.port, { method: 'POST', host, path: '/auth/api/set-session', headers: { authorization: `Bearer ${success.code}`, origin } });
    expect(replay.status).toBe(401);
    expect(replay.headers['www-authenticate']).toContain('invalid_token');
    expect(JSON.parse(replay.body).detail).toMatch(/already used/);
  });

  it('refuses the bootstrap link a second time', async () => {
    const socket = await startCeremony(server.port, '/auth/ws/register', { origin, host }, { type: 'start', token: bootstrapToken });
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'token_invalid' });
    expect(await socket.closed).toBe(CLOSE.notFound);
  });

  it('stores only hashes of session tokens', async () => {
    const token = cookie.split('=')[1]!;
    const rows = await server.deps.database.db.selectFrom('sessions').select('token_hash').execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(toBase64Url(row.token_hash)).not.toBe(token);
    const dump = JSON.stringify(await server.deps.database.db.selectFrom('sessions').selectAll().execute());
    expect(dump).not.toContain(token);
  });

  it('refuses a sign-in with a stolen passkey touched without user verification', async () => {
    const socket = await startCeremony(server.port, '/auth/ws/authenticate', { origin, host });
    const options = await socket.next();
    if (options.type !== 'options' || options.ceremony !== 'authenticate') throw new Error('no options');
    expect(options.options.userVerification).toBe('required');
    socket.ws.send(JSON.stringify({ type: 'response', response: phone.authenticate(options.options, origin, { userVerified: false }) }));
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'verification_failed' });
    expect(await socket.closed).toBe(CLOSE.forbidden);
  });

  it('refuses a signature counter that went backwards', async () => {
    const socket = await startCeremony(server.port, '/auth/ws/authenticate', { origin, host });
    const options = await socket.next();
    if (options.type !== 'options' || options.ceremony !== 'authenticate') throw new Error('no options');
    socket.ws.send(JSON.stringify({ type: 'response', response: phone.authenticate(options.options, origin, { counter: 1 }) }));
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'verification_failed' });
    expect(await socket.closed).toBe(CLOSE.forbidden);
  });

  it('lets one of several racing sign-ins with the same signature counter (a cloned passkey) through, and audits the others', async () => {
    const failedSignIns = () => server.deps.database.db.selectFrom('audit_log').select('id').where('action', '=', 'sign_in_failed').execute();
    const failedBefore = (await failedSignIns()).length;
    const sockets = await Promise.all(Array.from({ length: 8 }, () => startCeremony(server.port, '/auth/ws/authenticate', { origin, host })));
    // The passkey the phone answers with (its newest), signing every answer with the same next counter.
    const counter = phone.credentials.at(-1)!.counter + 1;
    const answers = await Promise.all(sockets.map(async (socket) => {
      const options = await socket.next();
      if (options.type !== 'options' || options.ceremony !== 'authenticate') throw new Error('no options');
      return phone.authenticate(options.options, origin, { counter });
    }));
    sockets.forEach((socket, i) => socket.ws.send(JSON.stringify({ type: 'response', response: answers[i] })));
    const results = await Promise.all(sockets.map((socket) => socket.next()));
    expect(results.filter((result) => result.type === 'success')).toHaveLength(1);
    expect(results.filter((result) => result.type === 'error' && result.code === 'verification_failed')).toHaveLength(7);
    expect(await failedSignIns()).toHaveLength(failedBefore + 7);
  });

  it('refuses and audits a response whose signature does not verify', async () => {
    const socket = await startCeremony(server.port, '/auth/ws/authenticate', { origin, host });
    const options = await socket.next();
    if (options.type !== 'options' || options.ceremony !== 'authenticate') throw new Error('no options');
    socket.ws.send(JSON.stringify({ type: 'response', response: phone.authenticate(options.options, origin, { badSignature: true }) }));
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'verification_failed' });
    expect(await socket.closed).toBe(CLOSE.forbidden);
    const failed = await server.deps.database.db.selectFrom('audit_log').select(['target', 'detail']).where('action', '=', 'sign_in_failed').orderBy('id', 'desc').limit(1).executeTakeFirst();
    expect(failed).toEqual({ target: 'localhost', detail: JSON.stringify({ reason: 'the signature does not match the passkey' }) });
  });

  it('refuses an unknown passkey', async () => {
    const stranger = new SoftAuthenticator();
    stranger.register({ ...(await fakeCreationOptions()), rp: { id: 'localhost', name: 'x' } }, origin);
    const socket = await startCeremony(server.port, '/auth/ws/authenticate', { origin, host });
    const options = await socket.next();
    if (options.type !== 'options' || options.ceremony !== 'authenticate') throw new Error('no options');
    socket.ws.send(JSON.stringify({ type: 'response', response: stranger.authenticate(options.options, origin) }));
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'unknown_credential' });
    expect(await socket.closed).toBe(CLOSE.notFound);
  });

  it('refuses a response signed for another origin', async () => {
    const socket = await startCeremony(server.port, '/auth/ws/authenticate', { origin, host });
    const options = await socket.next();
    if (options.type !== 'options' || options.ceremony !== 'authenticate') throw new Error('no options');
    socket.ws.send(JSON.stringify({ type: 'response', response: phone.authenticate(options.options, 'http://evil.localhost:4401') }));
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'verification_failed' });
  });
});

describe('the upgrade is checked before any ceremony', () => {
  it.each([
    ['a foreign origin', 'https://evil.example'],
    ['a look-alike origin', 'http://localhost.evil.example:4401'],
    ['another port', 'http://localhost:4402'],
    ['the null origin', 'null'],
  ])('refuses %s with 403 (cross-site WebSocket hijacking)', async (_, foreign) => {
    await expect(openCeremony(server.port, '/auth/ws/authenticate', { origin: foreign, host })).rejects.toThrow('HTTP 403');
  });

  it('says in the log which origin it refused, and which flag would allow it', async () => {
    const warn = vi.spyOn(server.services.log, 'warn').mockImplementation(() => {});
    try {
      await expect(openCeremony(server.port, '/auth/ws/authenticate', { origin: 'http://127.0.0.1:4401', host })).rejects.toThrow('HTTP 403');
      expect(warn.mock.calls.map(([line]) => String(line)).find((line) => line.includes('"http://127.0.0.1:4401"'))).toContain('--origin http://127.0.0.1:4401');
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses a socket without Origin', async () => {
    await expect(openCeremony(server.port, '/auth/ws/authenticate', { host })).rejects.toThrow('HTTP 403');
  });

  it('refuses a link token in the URL, where proxy access logs would keep it', async () => {
    await expect(openCeremony(server.port, '/auth/ws/register?token=abandon.ability.able.about.above', { origin, host })).rejects.toThrow('HTTP 400');
    await expect(openCeremony(server.port, '/auth/ws/authenticate?x=1', { origin, host })).rejects.toThrow('HTTP 400');
  });

  it('answers a plain GET with 426', async () => {
    expect((await rawRequest(server.port, { host, path: '/auth/ws/authenticate' })).status).toBe(426);
  });
});

describe('malformed, oversized and out-of-order messages', () => {
  async function afterOptions() {
    const socket = await startCeremony(server.port, '/auth/ws/authenticate', { origin, host });
    expect((await socket.next()).type).toBe('options');
    return socket;
  }

  it.each([
    ['not JSON', '{nope'],
    ['the wrong type', JSON.stringify({ type: 'hello' })],
    ['a response without fields', JSON.stringify({ type: 'response', response: {} })],
    ['extra top-level fields', JSON.stringify({ type: 'response', response: { id: 'a', rawId: 'a', type: 'public-key', response: {} }, x: 1 })],
    ['a bad rawId', JSON.stringify({ type: 'response', response: { id: 'a', rawId: '!!!', type: 'public-key', response: {} } })],
  ])('closes 4400 on %s and says why', async (_, frame) => {
    const socket = await afterOptions();
    socket.ws.send(frame);
    const message = await socket.next();
    expect(message).toMatchObject({ type: 'error', code: 'bad_message' });
    expect(message.type === 'error' && message.detail.length).toBeGreaterThan(10);
    expect(await socket.closed).toBe(CLOSE.badMessage);
  });

  it('waits for the start frame: a response first closes 4400', async () => {
    const socket = await openCeremony(server.port, '/auth/ws/register', { origin, host });
    socket.ws.send(JSON.stringify({ type: 'response', response: { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: {} } }));
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'bad_message' });
    expect(await socket.closed).toBe(CLOSE.badMessage);
  });

  it('closes 4400 on a link token sent to the sign-in socket', async () => {
    const socket = await startCeremony(server.port, '/auth/ws/authenticate', { origin, host }, { type: 'start', token: 'abandon.ability.able.about.above' });
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'bad_message' });
    expect(await socket.closed).toBe(CLOSE.badMessage);
  });

  it('closes 4400 on binary frames', async () => {
    const socket = await afterOptions();
    socket.ws.send(Buffer.from([1, 2, 3]));
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'bad_message' });
  });

  it('closes 1009 on an oversized frame', async () => {
    const socket = await afterOptions();
    socket.ws.send('x'.repeat(100 * 1024));
    expect(await socket.closed).toBe(CLOSE.tooBig);
  });

  it('refuses a second response on the same socket', async () => {
    const socket = await afterOptions();
    const frame = JSON.stringify({ type: 'response', response: { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: {} } });
    socket.ws.send(frame);
    socket.ws.send(frame);
    expect(await socket.next()).toMatchObject({ type: 'error' });
    expect([CLOSE.notFound, CLOSE.badMessage]).toContain(await socket.closed);
  });

  it('keeps serving after all of the above', async () => {
    expect((await rawRequest(server.port, { host, path: '/auth/api/health' })).status).toBe(200);
    const success = await authenticate(server.port, phone, { origin });
    expect(success.type).toBe('success');
  });
});

describe('registering without a link', () => {
  it('needs a session', async () => {
    const socket = await startCeremony(server.port, '/auth/ws/register', { origin, host });
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'reauth_required' });
    expect(await socket.closed).toBe(CLOSE.unauthorized);
  });

  it('needs a recent authentication', async () => {
    const cookie = await signIn(server.port, phone, { origin });
    server.advanceClock(11 * 60 * 1000);
    try {
      const socket = await startCeremony(server.port, '/auth/ws/register', { origin, host, cookie });
      expect(await socket.next()).toMatchObject({ type: 'error', code: 'reauth_required' });
    } finally {
      server.advanceClock(-11 * 60 * 1000);
    }
  });

  it('refuses to renew a stale sign-in with a stolen passkey touched without user verification', async () => {
    const cookie = await signIn(server.port, phone, { origin });
    server.advanceClock(11 * 60 * 1000);
    try {
      const socket = await startCeremony(server.port, '/auth/ws/authenticate', { origin, host, cookie });
      const options = await socket.next();
      if (options.type !== 'options' || options.ceremony !== 'authenticate') throw new Error('no options');
      expect(options.reauth).toBe(true);
      socket.ws.send(JSON.stringify({ type: 'response', response: phone.authenticate(options.options, origin, { userVerified: false }) }));
      expect(await socket.next()).toMatchObject({ type: 'error', code: 'verification_failed' });
    } finally {
      server.advanceClock(-11 * 60 * 1000);
    }
  });

  it('adds a second passkey for a recently authenticated user', async () => {
    const cookie = await signIn(server.port, phone, { origin });
    const laptop = new SoftAuthenticator();
    const success = await registerPasskey(server.port, laptop, { origin }, undefined, cookie);
    expect(success.user.displayName).toBe('Admin');
    const info = JSON.parse((await api(server.port, 'POST', '/auth/api/user-info', { host, cookie, body: {} })).body);
    expect(info.credentials).toHaveLength(2);
    // Both authenticators say they are Google Password Manager: the second is numbered.
    expect(info.credentials.map((credential: { name: string }) => credential.name)).toEqual(['Google Password Manager', 'Google Password Manager (2)']);
  });

  it('stores no passkey, and keeps the link, when its audit entry cannot be written', async () => {
    const cookie = await signIn(server.port, phone, { origin });
    const { token } = JSON.parse((await api(server.port, 'POST', '/auth/api/create-link', { host, cookie, origin, body: {} })).body);
    const { db } = server.deps.database;
    const countCredentials = async () => (await db.selectFrom('credentials').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const before = await countCredentials();
    const restoreAudit = await breakAuditOf(server.deps.database, 'passkey_added');
    const logged = vi.spyOn(server.services.log, 'error').mockImplementation(() => {});
    try {
      const socket = await startCeremony(server.port, '/auth/ws/register', { origin, host }, { type: 'start', token });
      const options = await socket.next();
      if (options.type !== 'options' || options.ceremony !== 'register') throw new Error('no options');
      socket.ws.send(JSON.stringify({ type: 'response', response: new SoftAuthenticator().register(options.options, origin) }));
      expect(await socket.next()).toMatchObject({ type: 'error', code: 'internal' });
      expect(await countCredentials()).toBe(before);
      expect(logged).toHaveBeenCalledWith('passkey ceremony failed', expect.objectContaining({ kind: 'register', requestId: expect.any(String), error: expect.any(Error) }));
    } finally {
      logged.mockRestore();
      await restoreAudit();
    }
    await registerPasskey(server.port, new SoftAuthenticator(), { origin }, token);
    expect(await countCredentials()).toBe(before + 1);
  });

  it('rejects a malformed link token', async () => {
    const socket = await startCeremony(server.port, '/auth/ws/register', { origin, host }, { type: 'start', token: 'not-a-token' });
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'token_invalid' });
  });
});

describe('ceremony timeout', () => {
  it('closes 4408 when no response arrives in time', async () => {
    const sent: string[] = [];
    let closedWith = 0;
    const ws = {
      send: (m: string) => sent.push(m),
      end(m: string, code: number) {
        sent.push(m);
        closedWith = code;
      },
    };
    const reported: string[] = [];
    const observer = { opened: () => reported.push('opened'), succeeded: () => reported.push('succeeded'), failed: (reason: string) => reported.push(`failed ${reason}`), closed: () => reported.push('closed') };
    const events = ceremonyEvents(() => ({ start: async () => ({ type: 'options', ceremony: 'authenticate', options: {} as never, reauth: false }), finish: async () => { throw new Error('unused'); } }), observer, 30);
    events.onOpen(ws);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(JSON.parse(sent.at(-1)!)).toMatchObject({ type: 'error', code: 'timeout' });
    expect(closedWith).toBe(CLOSE.timeout);
    events.onClose();
    expect(reported).toEqual(['opened', 'failed timeout', 'closed']);
  });
});

async function fakeCreationOptions() {
  return generateRegistrationOptions({ rpName: 'x', rpID: 'localhost', userName: 'stranger' });
}

/** Makes every insert of an `action` audit entry fail, as if the audit log were unavailable; resolves with the undo. */
async function breakAuditOf(database: OpenDatabase, action: string): Promise<() => Promise<void>> {
  const { db } = database;
  if (database.dialect === 'sqlite') {
    await sql`create temp trigger audit_down before insert on audit_log when new.action = ${sql.lit(action)} begin select raise(abort, 'audit log unavailable'); end`.execute(db);
    return async () => void (await sql`drop trigger audit_down`.execute(db));
  }
  await sql`create function audit_down() returns trigger language plpgsql as $$ begin raise exception 'audit log unavailable'; end $$`.execute(db);
  await sql`create trigger audit_down before insert on audit_log for each row when (new.action = ${sql.lit(action)}) execute function audit_down()`.execute(db);
  return async () => void (await sql`drop function audit_down() cascade`.execute(db));
}
