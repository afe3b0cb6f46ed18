/**
 * Clean shutdown of the real process: SIGTERM while a write is half-sent, a ceremony socket is
 * open and new clients knock; then the grace bound and a second signal.
 */
import { connect, type Socket } from 'node:net';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { PROCESS_TEST_TIMEOUT_MS, startServerProcess, type ServerProcess } from './testing/serverProcess.js';
import { api, registerPasskey, signIn } from './testing/flows.js';
import { startCeremony } from './testing/wsClient.js';
import { SoftAuthenticator } from './testing/softAuthenticator.js';
import type { AdminMe } from '../shared/admin.js';

const dirs: string[] = [];
const servers: ServerProcess[] = [];
afterAll(() => {
  for (const server of servers) server.child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function start(flags: string[]): Promise<{ server: ServerProcess; dbPath: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'passkey-auth-shutdown-'));
  dirs.push(dir);
  const dbPath = join(dir, 'db.sqlite');
  const server = await startServerProcess(dbPath, flags);
  servers.push(server);
  return { server, dbPath };
}

const pageOf = (port: number) => ({ origin: `http://localhost:${port}`, host: `localhost:${port}` });

/** A request whose body is sent in two halves: it is in flight until {@link finish} sends the rest. */
async function halfSentRequest(port: number, method: string, path: string, headers: Record<string, string>, body: string) {
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let response = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (response += chunk));
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(response)));
  const head = Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)) }).map(([name, value]) => `${name}: ${value}\r\n`);
  const middle = Math.floor(body.length / 2);
  socket.write(`${method} ${path} HTTP/1.1\r\n${head.join('')}\r\n${body.slice(0, middle)}`);
  return {
    /** Sends the rest of the body; resolves with the whole raw response once the server closes the connection. */
    finish: () => {
      socket.write(body.slice(middle));
      return closed;
    },
    socket,
  };
}

function connectError(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

async function waitForOutput(server: ServerProcess, text: string): Promise<void> {
  for (let deadline = Date.now() + 30_000; !server.output().includes(text); ) {
    if (Date.now() > deadline) throw new Error(`no "${text}" in:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('SIGTERM', () => {
  it('finishes the request in flight, refuses new connections, closes ceremonies with 1001 and exits 0 with every write in the database', async () => {
    const { server, dbPath } = await start(['--shutdown-grace', '10s']);
    const page = pageOf(server.port);
    const admin = new SoftAuthenticator();
    await registerPasskey(server.port, admin, page, server.bootstrapToken);
    const cookie = await signIn(server.port, admin, page);
    const me = JSON.parse((await api(server.port, 'GET', '/auth/api/admin/me', { host: page.host, cookie })).body) as AdminMe;
    const createUser = (displayName: string) => JSON.stringify({ displayName, orgId: me.org.id });

    const acknowledged = await api(server.port, 'POST', '/auth/api/admin/users', { host: page.host, cookie, origin: page.origin, body: JSON.parse(createUser('Acknowledged before stop')) });
    expect(acknowledged.status).toBe(201);
    const ceremony = await startCeremony(server.port, '/auth/ws/authenticate', page);
    expect((await ceremony.next()).type).toBe('options');
    const closeReason = new Promise<string>((resolve) => ceremony.ws.once('close', (_code, reason) => resolve(String(reason))));
    const inFlight = await halfSentRequest(
      server.port,
      'POST',
      '/auth/api/admin/users',
      { host: page.host, cookie, origin: page.origin, 'content-type': 'application/json' },
      createUser('Sent during shutdown'),
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // the server has read the headers

    const signalled = Date.now();
    server.child.kill('SIGTERM');
    await waitForOutput(server, 'SIGTERM: shutting down');
    expect(await ceremony.closed).toBe(1001);
    expect(await closeReason).toBe('server shutting down');
    expect(await connectError(server.port)).toBe('ECONNREFUSED');

    // Answered in full, then the server closes the kept-alive connection.
    expect(await inFlight.finish()).toMatch(/^HTTP\/1\.1 201 [^]*"displayName":"Sent during shutdown"/);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(10_000); // the request finished: no waiting out the grace period
    expect(server.output()).toContain('passkey-auth: stopped');

    // Everything is in the database file itself: no WAL with content is left behind.
    const wal = `${dbPath}-wal`;
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    const sqlite = new BetterSqlite3(dbPath, { readonly: true });
    const names = sqlite.prepare('select display_name from users').pluck().all();
    sqlite.close();
    expect(names).toEqual(expect.arrayContaining(['Acknowledged before stop', 'Sent during shutdown']));
  }, PROCESS_TEST_TIMEOUT_MS);

  it('cuts a request still in flight after the grace period and exits 0', async () => {
    const { server } = await start(['--shutdown-grace', '1s']);
    const page = pageOf(server.port);
    const stalled = await halfSentRequest(server.port, 'POST', '/auth/api/user-info', { host: page.host, origin: page.origin, 'content-type': 'application/json' }, '{"fields":[]}');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - signalled).toBeLessThan(6_000); // a busy machine is slow to spawn and exit
    expect(server.output()).toContain('cut 1 connection(s) still open after the 1 s grace period');
    expect(stalled.socket.destroyed || stalled.socket.readableEnded).toBe(true);
  }, PROCESS_TEST_TIMEOUT_MS);

  it('exits at once on a second signal', async () => {
    const { server } = await start(['--shutdown-grace', '30s']);
    const page = pageOf(server.port);
    await halfSentRequest(server.port, 'POST', '/auth/api/user-info', { host: page.host, origin: page.origin, 'content-type': 'application/json' }, '{"fields":[]}');
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.child.kill('SIGTERM');
    await waitForOutput(server, 'SIGTERM: shutting down');
    const signalled = Date.now();
    server.child.kill('SIGINT');
    expect(await server.exited).toEqual({ code: 130, signal: null });
    expect(Date.now() - signalled).toBeLessThan(10_000); // not the 30 s grace period
    expect(server.output()).toContain('second SIGINT: exiting now');
  }, PROCESS_TEST_TIMEOUT_MS);
});
