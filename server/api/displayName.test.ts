/**
 * Display names over the API (issue 11): direction overrides, invisible characters and lone
 * surrogates are refused with a 400 that says why, for a person's own name and in the admin API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { api, signIn, startWithAdmin } from '../testing/flows.js';

const origin = 'http://localhost:4401';
const host = 'localhost:4401';
let server: TestServer;
let cookie: string;

const rename = (displayName: string) => api(server.port, 'PUT', '/auth/api/user/display-name', { host, cookie, origin, body: { displayName } });
const createOrg = (displayName: string) => api(server.port, 'POST', '/auth/api/admin/orgs', { host, cookie, origin, body: { displayName } });
const detail = (response: { body: string }) => (JSON.parse(response.body) as { detail: string }).detail;

beforeAll(async () => {
  const key = new SoftAuthenticator();
  server = await startWithAdmin(['--origin', origin], key, { origin });
  cookie = await signIn(server.port, key, { origin });
});
afterAll(() => server.close());

describe('display names that would mislead', () => {
  it('refuses a right-to-left override that would reverse the text after the name', async () => {
    const response = await rename('Admin\u202Eexe.txt');
    expect(response.status).toBe(400);
    expect(detail(response)).toBe('Display name must not hold text-direction controls (such as U+202E), which can reorder the text around it');
  });

  it('refuses invisible characters and lone surrogates', async () => {
    const invisible = await rename('Ad\u200Bmin');
    expect(invisible.status).toBe(400);
    expect(detail(invisible)).toMatch(/^Display name must not hold invisible characters/);
    const broken = await rename('Admin\uD800');
    expect(broken.status).toBe(400);
    expect(detail(broken)).toMatch(/^Display name holds a broken character/);
  });

  it('refuses the same in the admin API, naming the field', async () => {
    const response = await createOrg('Acme\u2066');
    expect(response.status).toBe(400);
    expect(detail(response)).toMatch(/displayName: must not hold text-direction controls/);
  });

  it('keeps the name unchanged after a refusal and accepts right-to-left scripts', async () => {
    expect((await rename('مریم')).status).toBe(200);
    expect((await rename('مریم\u202C')).status).toBe(400);
    const me = await api(server.port, 'GET', '/auth/api/admin/me', { host, cookie, origin });
    expect(JSON.parse(me.body).user.displayName).toBe('مریم');
  });
});
