import { describe, expect, it } from 'vitest';
import { readForwardHeaders } from './forwardHeaders.js';

describe('readForwardHeaders', () => {
  it('finds the headers forward reads, whatever the case of their names', () => {
    expect(
      readForwardHeaders([
        'HOST', 'auth.internal:4401',
        'Cookie', 'a=1',
        'accept', 'text/html,*/*',
        'X-Original-Method', 'POST',
        'x-original-uri', '/reports',
        'X-FORWARDED-FOR', '203.0.113.9',
        'User-Agent', 'nginx',
      ], true),
    ).toEqual({ host: 'auth.internal:4401', cookie: 'a=1', wantsHtml: true, method: 'POST', uri: '/reports', forwardedFor: '203.0.113.9' });
  });

  it('takes the right-most X-Forwarded-Host entry from a trusted proxy: the one it appended', () => {
    const headers = readForwardHeaders(['Host', 'auth.internal', 'X-Forwarded-Host', 'forged.example.com', 'X-Forwarded-Host', 'evil.example.com, App.Example.com:8443 '], true);
    expect(headers.host).toBe('App.Example.com:8443');
  });

  it('believes no forwarded header from a peer that is not a trusted proxy', () => {
    const headers = readForwardHeaders(['Host', 'app.example.com', 'X-Forwarded-Host', 'other.example.com', 'X-Forwarded-Uri', '/x', 'X-Forwarded-Method', 'PUT'], false);
    expect(headers).toMatchObject({ host: 'app.example.com', method: undefined, uri: undefined });
  });

  it('combines repeated headers: cookies joined, any Accept, the first Host, the last forwarded line', () => {
    const headers = readForwardHeaders([
      'cookie', 'a=1',
      'Host', 'first',
      'Cookie', 'passkey-auth=t',
      'Host', 'second',
      'Accept', 'application/json',
      'Accept', 'text/html',
      'X-Forwarded-Uri', '/one',
      'X-Forwarded-Uri', '/two',
      'X-Forwarded-For', '192.0.2.1',
      'X-Forwarded-For', '192.0.2.2',
    ], true);
    expect(headers).toEqual({ host: 'first', cookie: 'a=1; passkey-auth=t', wantsHtml: true, method: undefined, uri: '/two', forwardedFor: '192.0.2.1, 192.0.2.2' });
  });

  it('reports what is missing', () => {
    expect(readForwardHeaders([], true)).toEqual({ host: '', cookie: undefined, wantsHtml: false, method: undefined, uri: undefined, forwardedFor: undefined });
    expect(readForwardHeaders(['Accept', 'application/json'], false).wantsHtml).toBe(false);
  });
});
