import { describe, expect, it } from 'vitest';
import { pageSetupProblem, type PageAddress } from './pageSetup';

function page(origin: string, path = '/auth/', secureContext = true): PageAddress {
  return { origin, hostname: new URL(origin).hostname, path, secureContext };
}

const LOCAL = { origins: ['http://localhost:4401'], rpId: 'localhost' };
const PRODUCTION = { origins: ['https://example.com', 'https://*.example.com'], rpId: 'example.com' };

describe('pageSetupProblem', () => {
  it('finds nothing wrong on an allowed origin under the RP ID', () => {
    expect(pageSetupProblem(page('http://localhost:4401'), LOCAL)).toBeNull();
    expect(pageSetupProblem(page('https://app.example.com'), PRODUCTION)).toBeNull();
  });

  it('names 127.0.0.1 as not allowed and the localhost address to open, without offering --origin (no passkey works on an IP address)', () => {
    const problem = pageSetupProblem(page('http://127.0.0.1:4401', '/auth/?return=%2Fauth%2Fadmin%2F'), LOCAL);
    expect(problem).toBe('Sign-in is not allowed at http://127.0.0.1:4401. Open http://localhost:4401/auth/?return=%2Fauth%2Fadmin%2F instead.');
  });

  it('names the flag to set for a proxy port missing from --origin', () => {
    const problem = pageSetupProblem(page('https://localhost:8443'), LOCAL);
    expect(problem).toContain('Sign-in is not allowed at https://localhost:8443.');
    expect(problem).toContain('Open http://localhost:4401/auth/ instead.');
    expect(problem).toContain('start Passkey Auth with --origin https://localhost:8443');
  });

  it('matches wildcard rules by scheme, port and subdomain', () => {
    expect(pageSetupProblem(page('https://a.b.example.com'), PRODUCTION)).toBeNull();
    expect(pageSetupProblem(page('https://app.example.com:8443'), PRODUCTION)).toContain('--origin https://app.example.com:8443');
    expect(pageSetupProblem(page('https://notexample.com'), PRODUCTION)).toContain('not allowed');
  });

  it('says when the page host is outside the RP ID, naming both', () => {
    const problem = pageSetupProblem(page('https://auth.example.org'), { origins: ['https://auth.example.org'], rpId: 'example.com' });
    expect(problem).toBe(
      'This page is on auth.example.org, but the passkeys of this service belong to example.com (its --rp-id). ' +
        'Open it at an address under example.com, or start Passkey Auth with an --rp-id that auth.example.org is under.',
    );
  });

  it('says plain http is not enough away from localhost, before anything else', () => {
    expect(pageSetupProblem(page('http://nas.lan:4401', '/auth/', false), LOCAL)).toMatch(/^Passkeys need a secure connection, and this page is open over plain http at http:\/\/nas\.lan:4401\./);
  });

  it('checks nothing the server did not state', () => {
    expect(pageSetupProblem(page('http://127.0.0.1:4401'), { origins: null, rpId: null })).toBeNull();
  });
});
