import { describe, expect, it } from 'vitest';
import type { HeldPermission } from '../../shared/api.js';
import type { OriginRule } from '../config.js';
import { appUrl, personApps } from './personApps.js';

const exact = (scheme: 'http' | 'https', host: string, port: number | null = null): OriginRule => ({ scheme, host, port, wildcard: false });
const wildcard = (scheme: 'http' | 'https', host: string, port: number | null = null): OriginRule => ({ scheme, host, port, wildcard: true });
const permission = (scope: string, domain: string | null): HeldPermission => ({ scope, displayName: scope, domain });

describe('personApps', () => {
  const origins = [exact('https', 'auth.example.com'), wildcard('https', 'example.com')];

  it('names each host a permission counts on or a session is on, once, sorted, with the permissions that count there', () => {
    const apps = personApps({
      permissions: [permission('auth:admin', null), permission('wiki:edit', 'wiki.example.com'), permission('wiki:read', 'wiki.example.com')],
      sessionHosts: ['grafana.example.com', 'wiki.example.com'],
      authHost: 'auth.example.com',
      origins,
    });
    expect(apps).toEqual([
      { kind: 'proxied', host: 'grafana.example.com', url: 'https://grafana.example.com/', permissions: [], signedIn: true },
      { kind: 'proxied', host: 'wiki.example.com', url: 'https://wiki.example.com/', permissions: ['wiki:edit', 'wiki:read'], signedIn: true },
    ]);
  });

  it('leaves out the auth host: it is the account page, not an app', () => {
    expect(personApps({ permissions: [permission('x', 'auth.example.com')], sessionHosts: ['auth.example.com'], authHost: 'auth.example.com', origins })).toEqual([]);
  });

  it('keeps every session host without a dedicated auth host (each host then serves its app and the account page)', () => {
    expect(personApps({ permissions: [], sessionHosts: ['app.example.com'], authHost: null, origins }).map((app) => app.host)).toEqual(['app.example.com']);
  });

  it('links no host that is not a host name, whatever the database holds', () => {
    const hostile = ['evil.example/"><script>', 'a b', '[::1]', 'javascript:alert(1)', 'APP.EXAMPLE.COM', ''];
    expect(personApps({ permissions: hostile.map((domain) => permission('x', domain)), sessionHosts: hostile, authHost: null, origins })).toEqual([]);
  });
});

describe('appUrl', () => {
  it('takes the scheme and port of the exact allowed origin for the host', () => {
    expect(appUrl('app.localhost', [exact('http', 'localhost', 4401), exact('http', 'app.localhost', 8080)])).toBe('http://app.localhost:8080/');
  });

  it('else those of a wildcard origin covering it', () => {
    expect(appUrl('app.example.localhost', [wildcard('http', 'example.localhost', 4401)])).toBe('http://app.example.localhost:4401/');
    expect(appUrl('example.localhost', [wildcard('http', 'example.localhost', 4401)])).toBe('https://example.localhost/');
  });

  it('else https on the default port', () => {
    expect(appUrl('wiki.example.org', [exact('http', 'localhost', 4401)])).toBe('https://wiki.example.org/');
  });
});
