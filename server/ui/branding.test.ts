/**
 * Branding in the HTML the server sends: whatever the configured name holds arrives escaped,
 * in the title and the page's tags, on the pages of host-mode routing and of forward auth; a
 * logo on another origin is allowed by the pages' Content-Security-Policy, and nothing more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { rawRequest } from '../testing/rawHttp.js';

/** Markup, both quotes, an ampersand, and what String.replace would expand (`$'`, `$&`). */
const NAME = `Tom & "Jerry's" <script>alert(1)</script> $' $&`;
const ESCAPED = 'Tom &#38; &#34;Jerry&#39;s&#34; &#60;script&#62;alert(1)&#60;/script&#62; $&#39; $&#38;';

/** `&` in the query: escaped in the tag, and the origin alone in the policy. */
const LOGO = 'https://cdn.example.com:8443/brand/logo.svg?v=2&size=64';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(['--origin', 'http://localhost:4401', '--trusted-proxy', '127.0.0.1', '--service-name', NAME, '--logo', LOGO, '--accent-color', '#FC0']);
});
afterAll(() => server.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  rawRequest(server.port, { host: 'localhost:4401', path, headers: { accept: 'text/html', ...headers } });

describe('branding in served HTML', () => {
  it.each([
    ['the sign-in page', '/auth/', 200, 'Sign in'],
    ['the admin page', '/auth/admin/', 200, 'Administration'],
    ['a page not found', '/auth/nowhere', 404, 'Page not found'],
    ['forward auth\'s sign-in page', '/auth/api/forward', 401, 'Sign in'],
  ])('%s: escaped in the title and the tag, never markup', async (_, path, status, page) => {
    const response = await get(path);
    expect(response.status).toBe(status);
    expect(response.body).toContain(`<title>${page} · ${ESCAPED}</title>`);
    expect(response.body).toContain(`<meta name="passkey-auth-service-name" content="${ESCAPED}" />`);
    expect(response.body).not.toContain('<script>alert');
    expect(response.body).not.toContain('"Jerry');
    expect(response.body).toContain('<meta name="passkey-auth-logo" content="https://cdn.example.com:8443/brand/logo.svg?v=2&#38;size=64" />');
    expect(response.headers['content-security-policy']).toContain("img-src 'self' data: https://cdn.example.com:8443;");
    // The shades in shared/pageMeta.ts's order: on light pages, on dark pages, fill, hover, text on the fill.
    expect(response.body).toMatch(/<meta name="passkey-auth-accent" content="#[0-9a-f]{6} #ffcc00 #ffcc00 #[0-9a-f]{6} #000000" \/>/);
  });
});
