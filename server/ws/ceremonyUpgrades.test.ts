/**
 * The ceremony upgrade against the real server on a real port: every refusal is a real HTTP
 * answer with a JSON body, in the order of the checks; a socket that breaks mid-upgrade or
 * sends bad frames leaves the server serving; shutdown refuses new sockets and closes open ones.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { rawRequest, type RawResponse } from '../testing/rawHttp.js';
import { openCeremony, startCeremony } from '../testing/wsClient.js';
import { CLOSE } from '../../shared/ws.js';

const origin = 'http://localhost:4401';
const host = 'localhost:4401';
const CEREMONIES_PER_MINUTE = 2;
const HANDSHAKE = { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13' };
/** How a database outage looks to the session lookup (a refused PostgreSQL connection). */
const OUTAGE = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

let server: TestServer;
let clients = 0;
/** A client address of its own (the test process is the trusted proxy naming it), so that no test spends another's rate. */
const newClient = () => `203.0.113.${++clients}`;

beforeAll(async () => {
  server = await startTestServer(['--origin', origin, '--trusted-proxy', '127.0.0.1'], { ceremoniesPerMinute: CEREMONIES_PER_MINUTE, secretsPerMinute: 100 });
});
afterAll(() => server.close());

/** Sends a WebSocket handshake that the server is expected to refuse; resolves with its answer. */
function upgrade(port: number, path: string, options: { host?: string; method?: string; headers?: Record<string, string>; localAddress?: string } = {}): Promise<RawResponse> {
  const headers = { ...HANDSHAKE, Origin: origin, 'X-Forwarded-For': newClient(), ...options.headers };
  return rawRequest(port, { method: options.method ?? 'GET', host: options.host ?? host, path, headers, localAddress: options.localAddress });
}

/** The refusal is a whole HTTP answer: the status, `{ detail }` as JSON, the request's id, and the connection closed. */
function expectRefusal(response: RawResponse, status: number, detail: string | RegExp): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/json');
  expect(response.headers.connection).toBe('close');
  expect(response.headers['x-request-id']).toMatch(/^[0-9a-f]{16}-[0-9a-f]+$/);
  const body = JSON.parse(response.body) as { detail: string };
  expect(Object.keys(body)).toEqual(['detail']);
  expect(body.detail).toMatch(detail);
}

describe('each check refuses with its status and a JSON reason', () => {
  it('404 for any path but the two ceremonies, as sent (no percent-decoding)', async () => {
    for (const path of ['/auth/ws/nope', '/auth/ws/authenticate/', '/auth/api/health', '/auth/api/forward', '/']) {
      const response = await upgrade(server.port, path);
      expectRefusal(response, 404, /^Not found$/);
      expect(response.headers['x-passkey-auth-refused']).toBeUndefined();
    }
    // Host mode's own 404s say so, as they do for plain requests.
    for (const path of ['/auth/%77s/authenticate', '/auth//ws/authenticate', '/nothing-here']) {
      const response = await upgrade(server.port, path);
      expectRefusal(response, 404, /^Not found$/);
      expect(response.headers['x-passkey-auth-refused']).toBe('unknown-path');
    }
  });

  it('405 for another method than GET', async () => {
    const response = await upgrade(server.port, '/auth/ws/authenticate', { method: 'POST' });
    expectRefusal(response, 405, /GET/);
    expect(response.headers.allow).toBe('GET');
  });

  it('426 for an upgrade to another protocol', async () => {
    const response = await upgrade(server.port, '/auth/ws/register', { headers: { Upgrade: 'h2c' } });
    expectRefusal(response, 426, 'This endpoint only speaks WebSocket');
    expect(response.headers.upgrade).toBe('websocket');
  });

  it('403 for an origin that is not allowed, before the query is looked at', async () => {
    expectRefusal(await upgrade(server.port, '/auth/ws/authenticate?x=1', { headers: { Origin: 'https://evil.example' } }), 403, 'Origin not allowed to run passkey ceremonies');
  });

  it('400 for a query string', async () => {
    expectRefusal(await upgrade(server.port, '/auth/ws/register?token=abandon.ability.able.about.above'), 400, /no query string/);
    expectRefusal(await upgrade(server.port, '/auth/ws/register?'), 400, /no query string/);
  });

  it('429 once the address has used its ceremonies of the minute, counted after the other checks', async () => {
    const client = newClient();
    expectRefusal(await upgrade(server.port, '/auth/ws/authenticate?spent=no', { headers: { 'X-Forwarded-For': client } }), 400, /no query string/);
    for (let i = 0; i < CEREMONIES_PER_MINUTE; i++) {
      const socket = await openCeremony(server.port, '/auth/ws/authenticate', { origin, host, forwardedFor: client });
      socket.ws.close();
    }
    expectRefusal(await upgrade(server.port, '/auth/ws/authenticate', { headers: { 'X-Forwarded-For': client } }), 429, 'Too many passkey attempts; wait a minute');
  });

  it("400 for a handshake ws cannot complete (its own checks of Sec-WebSocket-*)", async () => {
    const response = await upgrade(server.port, '/auth/ws/authenticate', { headers: { 'Sec-WebSocket-Key': 'short' } });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body).detail).toBe('Not a WebSocket handshake: Missing or invalid Sec-WebSocket-Key header');
  });

  it("keeps a trusted proxy's X-Request-Id, and gives a new one to anyone else's", async () => {
    const path = '/auth/ws/authenticate?x';
    expect((await upgrade(server.port, path, { headers: { 'X-Request-Id': 'proxy-7f3a' } })).headers['x-request-id']).toBe('proxy-7f3a');
    const untrusted = await upgrade(server.port, path, { headers: { 'X-Request-Id': 'planted' }, localAddress: '127.0.0.2' });
    expectRefusal(untrusted, 400, /no query string/);
  });
});

describe('host mode', () => {
  it('refuses the ceremonies off the auth host with the restricted 404', async () => {
    const dedicated = await startTestServer(['--rp-id', 'example.com', '--auth-host', 'auth.example.com', '--origin', 'https://app.example.com']);
    try {
      const response = await upgrade(dedicated.port, '/auth/ws/authenticate', { host: 'app.example.com', headers: { Origin: 'https://app.example.com' } });
      expectRefusal(response, 404, 'Not found: this endpoint is served only on the auth host');
      expect(response.headers['x-passkey-auth-refused']).toBe('restricted');
      // On the auth host the same upgrade passes host mode and meets the next check.
      expectRefusal(await upgrade(dedicated.port, '/auth/ws/authenticate?x', { host: 'auth.example.com', headers: { Origin: 'https://app.example.com' } }), 400, /no query string/);
    } finally {
      await dedicated.close();
    }
  });
});

describe('the session lookup', () => {
  const withCookie = { Cookie: 'passkey-auth=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };

  it('answers 503 while the database is unavailable, 500 on anything else, and logs it with the request id', async () => {
    const lookup = vi.spyOn(server.services.sessions, 'fromToken').mockRejectedValueOnce(OUTAGE).mockRejectedValueOnce(new Error('a bug'));
    const warn = vi.spyOn(server.services.log, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(server.services.log, 'error').mockImplementation(() => {});
    try {
      const unavailable = await upgrade(server.port, '/auth/ws/authenticate', { headers: withCookie });
      expectRefusal(unavailable, 503, 'The database is unavailable; try again shortly');
      expect(unavailable.headers['retry-after']).toBe('1');
      expect(warn).toHaveBeenCalledWith('GET /auth/ws/authenticate: the database is unavailable', { requestId: unavailable.headers['x-request-id'], error: OUTAGE.message });
      const failed = await upgrade(server.port, '/auth/ws/authenticate', { headers: withCookie });
      expectRefusal(failed, 500, 'Internal server error');
      expect(error).toHaveBeenCalledWith('GET /auth/ws/authenticate failed', expect.objectContaining({ requestId: failed.headers['x-request-id'] }));
    } finally {
      lookup.mockRestore();
      warn.mockRestore();
      error.mockRestore();
    }
  });

  // node:http hands over an upgrade's socket without an error listener: writing the refusal to a reset
  // connection would be an uncaught ECONNRESET, which ends the process (and fails this run).
  it('survives a client that resets its connection while its session is looked up', async () => {
    const lookup = vi.spyOn(server.services.sessions, 'fromToken').mockImplementationOnce(() => new Promise((_, reject) => setTimeout(reject, 150, OUTAGE)));
    const warn = vi.spyOn(server.services.log, 'warn').mockImplementation(() => {});
    try {
      const socket = connect(server.port, '127.0.0.1');
      socket.on('error', () => {});
      await new Promise((resolve) => socket.once('connect', resolve));
      const head = Object.entries({ Host: host, Origin: origin, ...HANDSHAKE, ...withCookie }).map(([name, value]) => `${name}: ${value}\r\n`);
      socket.write(`GET /auth/ws/authenticate HTTP/1.1\r\n${head.join('')}\r\n`);
      await vi.waitFor(() => expect(lookup).toHaveBeenCalled());
      socket.resetAndDestroy();
      // The refusal is written to the reset connection, which fails.
      await vi.waitFor(() => expect(warn).toHaveBeenCalled(), { timeout: 2_000 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await rawRequest(server.port, { host, path: '/auth/api/health' })).status).toBe(200);
    } finally {
      lookup.mockRestore();
      warn.mockRestore();
    }
  });
});

describe('bad frames', () => {
  it.each([
    ['a text frame that is not UTF-8 (1007)', (ws: WebSocket) => ws.send(Buffer.from([0xff, 0xfe]), { binary: false }), 1007],
    ['an unmasked frame (1002)', (ws: WebSocket) => (ws as unknown as { _socket: NodeJS.WritableStream })._socket.write(Buffer.from([0x81, 0x02, 0x68, 0x69])), 1002],
  ])('closes the socket on %s and keeps serving', async (_, send, code) => {
    const socket = await startCeremony(server.port, '/auth/ws/authenticate', { origin, host, forwardedFor: newClient() });
    expect((await socket.next()).type).toBe('options');
    send(socket.ws);
    expect(await socket.closed).toBe(code);
    const next = await openCeremony(server.port, '/auth/ws/authenticate', { origin, host, forwardedFor: newClient() });
    next.ws.close();
  });
});

describe('shutdown', () => {
  it('closes open ceremonies with 1001 and refuses new upgrades, also those whose session lookup was under way', async () => {
    const stopping = await startTestServer(['--origin', origin]);
    try {
      const open = await startCeremony(stopping.port, '/auth/ws/authenticate', { origin, host });
      expect((await open.next()).type).toBe('options');
      const reason = new Promise<string>((resolve) => open.ws.once('close', (_code, why) => resolve(String(why))));
      let releaseLookup: (value: null) => void = () => {};
      const lookup = vi.spyOn(stopping.services.sessions, 'fromToken').mockImplementationOnce(() => new Promise((resolve) => (releaseLookup = resolve)));
      const looking = upgrade(stopping.port, '/auth/ws/authenticate', { headers: { Cookie: 'passkey-auth=x' } });
      await vi.waitFor(() => expect(lookup).toHaveBeenCalled());

      stopping.closeWebSockets();
      expect(await open.closed).toBe(CLOSE.shuttingDown);
      expect(await reason).toBe('server shutting down');
      releaseLookup(null);
      for (const response of [await looking, await upgrade(stopping.port, '/auth/ws/authenticate')]) {
        expectRefusal(response, 503, 'The server is shutting down; try again');
        expect(response.headers['retry-after']).toBe('1');
      }
      lookup.mockRestore();
    } finally {
      await stopping.close();
    }
  });
});
