/**
 * Request ids on the real server: every answer names its request in `X-Request-Id`, the
 * API's and forward auth's alike; a trusted proxy's id is kept, anyone else's replaced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { rawRequest } from '../testing/rawHttp.js';
import { requestIdFor } from './requestId.js';

const PROXY = '127.0.0.3';
/** What the server makes: a per-process random prefix and a counter. */
const NEW_ID = /^[0-9a-f]{16}-[0-9a-f]+$/;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(['--trusted-proxy', PROXY]);
});
afterAll(() => server.close());

const idOf = async (path: string, headers: Record<string, string> = {}, localAddress?: string) =>
  (await rawRequest(server.port, { path, headers, ...(localAddress ? { localAddress } : {}) })).headers['x-request-id'];

describe('X-Request-Id', () => {
  it.each(['/auth/api/health', '/auth/api/forward', '/auth/api/no-such-route', '/auth/api/forward?perm='])('names every answer, here %s, with a new id each time', async (path) => {
    const [first, second] = [await idOf(path), await idOf(path)];
    expect(first).toMatch(NEW_ID);
    expect(second).toMatch(NEW_ID);
    expect(first).not.toBe(second);
  });

  it("keeps a trusted proxy's id, for the API and forward auth", async () => {
    expect(await idOf('/auth/api/health', { 'X-Request-Id': 'f3a1c0de9b7e4d2a8c6b5a4f3e2d1c0b' }, PROXY)).toBe('f3a1c0de9b7e4d2a8c6b5a4f3e2d1c0b');
    expect(await idOf('/auth/api/forward', { 'X-Request-Id': '7F000001:8296_7F00001E:1F90_4F7B0A69_0003:A4A0' }, PROXY)).toBe('7F000001:8296_7F00001E:1F90_4F7B0A69_0003:A4A0');
  });

  it('replaces the id of a peer that is no trusted proxy', async () => {
    expect(await idOf('/auth/api/health', { 'X-Request-Id': 'planted' })).toMatch(NEW_ID);
    expect(await idOf('/auth/api/forward', { 'X-Request-Id': 'planted' })).toMatch(NEW_ID);
  });

  it('replaces a malformed id even from a trusted proxy', () => {
    for (const bad of ['', 'two words', 'x'.repeat(129), 'line\nforged', '"quoted"']) expect(requestIdFor(bad)).toMatch(NEW_ID);
    expect(requestIdFor('req-1')).toBe('req-1');
    expect(requestIdFor(undefined)).toMatch(NEW_ID);
  });
});
