/**
 * Connection floods against the real server on loopback, each 127.0.0.x address
 * standing for one client: idle connections and WebSockets beyond the caps are
 * refused, and forward auth keeps answering for everybody else.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Hono } from 'hono';
import { startServer } from './server.js';
import { rawRequest } from './testing/rawHttp.js';
import { SoftAuthenticator } from './testing/softAuthenticator.js';
import { signIn, startWithAdmin } from './testing/flows.js';
import type { TestServer } from './testing/testServer.js';

const origin = 'http://localhost:4401';
const host = 'localhost:4401';
const PROXY = '127.0.0.3';
const PER_CLIENT = 10;
const TOTAL = 40;
const flags = [
  '--origin', origin,
  '--trusted-proxy', PROXY,
  '--max-connections', String(TOTAL),
  '--max-connections-per-client', String(PER_CLIENT),
  '--max-websockets', '6',
  '--max-websockets-per-client', '2',
];

let server: TestServer;
let cookie: string;
const phone = new SoftAuthenticator();
const floods: Socket[] = [];

beforeAll(async () => {
  server = await startWithAdmin(flags, phone, { origin });
  cookie = await signIn(server.port, phone, { origin });
});
afterAll(async () => {
  for (const socket of floods) socket.destroy();
  await server.close();
});

/** Opens `count` idle connections from `localAddress` and resolves, after they settle, with how many the server kept open. */
async function idleFlood(port: number, localAddress: string, count: number): Promise<number> {
  const sockets = await Promise.all(
    Array.from({ length: count }, () => new Promise<Socket>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, localAddress });
      socket.on('error', () => {}); // a refused connection is reset: that is the point
      socket.once('connect', () => resolve(socket));
      socket.once('close', () => resolve(socket));
      socket.setTimeout(5_000, () => reject(new Error('connect timed out')));
    })),
  );
  floods.push(...sockets);
  // The server refuses right after accepting; wait until the count of open sockets settles.
  const openCount = () => sockets.filter(isOpen).length;
  let last = -1;
  for (let stable = 0, deadline = Date.now() + 3_000; stable < 3 && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = openCount();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return openCount();
}

function isOpen(socket: Socket): boolean {
  return !socket.destroyed && socket.readyState === 'open';
}

const forwardStatus = (localAddress: string, forwardedFor?: string) =>
  rawRequest(server.port, { path: '/auth/api/forward', host, localAddress, headers: { cookie, ...(forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}) } }).then((r) => r.status);

describe('connection caps', () => {
  it('closes idle connections past the per-client cap while forward auth answers others', async () => {
    const started = Date.now();
    expect(await idleFlood(server.port, '127.0.0.2', 300)).toBe(PER_CLIENT);
    expect(await forwardStatus('127.0.0.1')).toBe(204);
    expect(await forwardStatus(PROXY, '203.0.113.7')).toBe(204);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('caps connections together, but a trusted proxy still gets through', async () => {
    const clients = Array.from({ length: 10 }, (_, i) => `127.0.0.${10 + i}`);
    await Promise.all(clients.map((client) => idleFlood(server.port, client, PER_CLIENT)));
    // With what the first test's flood still holds, exactly the cap is open.
    expect(floods.filter(isOpen)).toHaveLength(TOTAL);
    await expect(forwardStatus('127.0.0.30')).rejects.toThrow();
    for (let i = 0; i < 20; i++) expect(await forwardStatus(PROXY, `203.0.113.${i}`)).toBe(204);
  });
});

describe('WebSocket caps', () => {
  const sockets: WebSocket[] = [];
  afterAll(() => sockets.forEach((ws) => ws.terminate()));

  /** Opens a ceremony socket via the trusted proxy for `client`; resolves 'open' or the refusal's HTTP status. */
  function openVia(client: string): Promise<'open' | number> {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/auth/ws/authenticate`, { localAddress: PROXY, origin, headers: { host, 'x-forwarded-for': client } });
    sockets.push(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve('open'));
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', reject);
    });
  }

  it('refuses WebSockets past the per-client cap (429) and past the total (503)', async () => {
    expect([await openVia('198.51.100.1'), await openVia('198.51.100.1'), await openVia('198.51.100.1')]).toEqual(['open', 'open', 429]);
    expect(await Promise.all(['198.51.100.2', '198.51.100.2', '198.51.100.3', '198.51.100.3'].map(openVia))).toEqual(['open', 'open', 'open', 'open']);
    expect(await openVia('198.51.100.4')).toBe(503);
    sockets[0]!.close();
    await new Promise((resolve) => sockets[0]!.once('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await openVia('198.51.100.4')).toBe('open');
  });
});

describe('timeouts', () => {
  it('closes a connection that sends no request within the header timeout', async () => {
    const running = await startServer({
      app: new Hono(),
      listen: { kind: 'tcp', host: '127.0.0.1', port: 0 },
      connectionLimits: { maxConnections: 10, maxConnectionsPerClient: 10, maxWebSockets: 1, maxWebSocketsPerClient: 1 },
      trustedProxies: [],
      timeouts: { headersMs: 300, requestMs: 600, keepAliveMs: 300 },
    });
    try {
      const socket = connect({ host: '127.0.0.1', port: Number(new URL(running.address).port) });
      socket.on('error', () => {});
      socket.resume(); // read what the server says (a 408, or nothing), so its close arrives
      const started = Date.now();
      await new Promise((resolve) => socket.once('close', resolve));
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      await running.close();
    }
  });
});
