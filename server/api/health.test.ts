/** The health endpoint, and its warning about a proxy the operator forgot to trust. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { rawRequest } from '../testing/rawHttp.js';

let server: TestServer | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

async function health(port: number) {
  const response = await rawRequest(port, { path: '/auth/api/health' });
  expect(response.status).toBe(200);
  return JSON.parse(response.body);
}

describe('GET /auth/api/health', () => {
  it('warns, in the log and in the health answer, when an untrusted peer sends X-Forwarded-For', async () => {
    server = await startTestServer();
    const warn = vi.spyOn(server.services.log, 'warn').mockImplementation(() => {});
    expect(await health(server.port)).toMatchObject({ status: 'ok', database: 'ok', untrustedProxy: null });

    // A proxy in front that nobody declared: forward auth (answered before Hono) and a page request.
    await rawRequest(server.port, { path: '/auth/api/forward', headers: { 'X-Forwarded-For': '203.0.113.9' } });
    await rawRequest(server.port, { path: '/auth/api/health', headers: { 'X-Forwarded-For': '203.0.113.9' } });
    const body = await health(server.port);
    expect(body.status).toBe('ok');
    expect(body.untrustedProxy).toEqual({ peer: '127.0.0.1', lastSeen: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('--trusted-proxy 127.0.0.1');
  });

  it('stays quiet when the peer is a trusted proxy', async () => {
    server = await startTestServer(['--trusted-proxy', '127.0.0.1']);
    const warn = vi.spyOn(server.services.log, 'warn').mockImplementation(() => {});
    await rawRequest(server.port, { path: '/auth/api/forward', headers: { 'X-Forwarded-For': '203.0.113.9' } });
    expect((await health(server.port)).untrustedProxy).toBeNull();
    expect(warn).not.toHaveBeenCalled();
  });
});
