import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { rawRequest } from '../testing/rawHttp.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('noStore', () => {
  it.each([
    ['GET', '/auth/api/health', 200],
    ['POST', '/auth/api/validate', 401],
    ['GET', '/auth/api/admin/orgs', 401],
    ['GET', '/auth/api/no-such-endpoint', 404],
    ['POST', '/auth/api/user-info', 413, 'x'.repeat(20_000)],
  ])('marks %s %s (%i) no-store, whatever the answer', async (method, path, status, body?: string) => {
    const response = await rawRequest(server.port, { method, path, body });
    expect(response.status).toBe(status);
    expect(response.headers['cache-control']).toBe('no-store');
  });
});
