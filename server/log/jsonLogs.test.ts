/**
 * `--log-format json` on the real command (from source, through tsx): everything the
 * process prints, on stdout and stderr, is one JSON object a line, request lines carry
 * the request's id, and no line holds a session token, a cookie or a link's words.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../e2e/support/childProcess.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { rawRequest } from '../testing/rawHttp.js';
import { api, registerPasskey, signIn } from '../testing/flows.js';
import { LOCAL_COOKIE_NAME } from '../sessions/cookie.js';

const PROXY = '127.0.0.3';
const MAIN = ['--import', 'tsx', 'server/main.ts'];
const START_TIMEOUT_MS = 15_000;

interface Line {
  stream: 'stdout' | 'stderr';
  text: string;
}

let child: ChildProcess;
let dir: string;
let port: number;
const lines: Line[] = [];

/** Collects whole lines of one stream as they arrive. */
function collect(stream: NodeJS.ReadableStream, name: Line['stream']): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const text of parts) lines.push({ stream: name, text });
  });
}

const parsed = () => lines.map((line) => JSON.parse(line.text) as Record<string, unknown>);

async function waitFor<T>(find: () => T | undefined, what: string): Promise<T> {
  for (const deadline = Date.now() + START_TIMEOUT_MS; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const found = find();
    if (found !== undefined) return found;
  }
  throw new Error(`no ${what} in the log:\n${lines.map((line) => line.text).join('\n')}`);
}

beforeAll(async () => {
  port = await freePort();
  dir = mkdtempSync(join(tmpdir(), 'passkey-auth-jsonlogs-'));
  const flags = ['--listen', `127.0.0.1:${port}`, '--db', join(dir, 'db.sqlite'), '--origin', `http://localhost:${port}`, '--trusted-proxy', PROXY, '--forward-log', 'all'];
  child = spawn(process.execPath, [...MAIN, ...flags], { env: { ...process.env, PASSKEY_AUTH_LOG_FORMAT: 'json' }, stdio: ['ignore', 'pipe', 'pipe'] });
  collect(child.stdout!, 'stdout');
  collect(child.stderr!, 'stderr');
}, START_TIMEOUT_MS + 5_000);

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('--log-format json', () => {
  it('logs a sign-in, a device link and forward auth as JSON lines without their secrets', async () => {
    const origin = `http://localhost:${port}`;
    const host = `localhost:${port}`;
    await waitFor(() => parsed().find((line) => String(line.msg).includes('listening on')), '"listening on" line');
    // The first-start link is the one secret printed on purpose: the operator needs it.
    const bootstrapLink = await waitFor(() => parsed().find((line) => typeof line.link === 'string')?.link as string | undefined, 'bootstrap link');
    const phone = new SoftAuthenticator();
    await registerPasskey(port, phone, { origin }, bootstrapLink.slice(bootstrapLink.lastIndexOf('/') + 1));

    // Sign in, make a device link and use it: their secrets must not reach the log.
    const cookie = await signIn(port, phone, { origin });
    const sessionToken = cookie.slice(`${LOCAL_COOKIE_NAME}=`.length);
    expect(sessionToken.length).toBeGreaterThan(20);
    const created = JSON.parse((await api(port, 'POST', '/auth/api/create-link', { host, cookie, origin, body: {} })).body) as { token: string };
    await registerPasskey(port, new SoftAuthenticator(), { origin }, created.token);

    // Forward auth through the trusted proxy, which names the request and asks about the link's own page.
    const proxied = await rawRequest(port, {
      path: '/auth/api/forward',
      host,
      localAddress: PROXY,
      headers: { cookie, 'X-Request-Id': 'proxy-req-1', 'X-Forwarded-Method': 'GET', 'X-Forwarded-Uri': `/auth/${created.token}`, Authorization: 'Bearer not-for-logs' },
    });
    expect(proxied.status).toBe(204);
    expect(proxied.headers['x-request-id']).toBe('proxy-req-1');
    const denied = await rawRequest(port, { path: '/auth/api/forward', host, headers: { cookie: `${LOCAL_COOKIE_NAME}=not-a-session` } });
    expect(denied.status).toBe(401);
    // An undeclared proxy: a warning, on stderr.
    await rawRequest(port, { path: '/auth/api/health', host, headers: { 'X-Forwarded-For': '203.0.113.9' } });

    const forwardLines = await waitFor(() => {
      const found = parsed().filter((line) => line.msg === 'forward');
      return found.length >= 2 ? found : undefined;
    }, 'forward lines');
    expect(forwardLines).toContainEqual(expect.objectContaining({ status: 204, requestId: 'proxy-req-1', method: 'GET', uri: '/auth/[link]' }));
    expect(forwardLines).toContainEqual(expect.objectContaining({ status: 401, requestId: denied.headers['x-request-id'] }));
    await waitFor(() => lines.find((line) => line.stream === 'stderr' && line.text.includes('--trusted-proxy')), 'untrusted-proxy warning');

    // Shutting down logs too.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(parsed().at(-1)).toMatchObject({ level: 'info', msg: 'passkey-auth: stopped' });

    for (const line of lines) {
      const record = JSON.parse(line.text) as Record<string, unknown>;
      expect(Object.keys(record).slice(0, 3)).toEqual(['time', 'level', 'msg']);
      expect(new Date(record.time as string).toISOString()).toBe(record.time);
      expect(line.stream).toBe(record.level === 'info' ? 'stdout' : 'stderr');
      for (const secret of [sessionToken, cookie, created.token, 'not-a-session', 'not-for-logs']) expect(line.text).not.toContain(secret);
    }
  }, 60_000);
});
