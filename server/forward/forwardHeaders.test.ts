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
        'User-Agent', 'nginx',
      ]),
    ).toEqual({ host: 'auth.internal:4401', cookie: 'a=1', wantsHtml: true, method: 'POST', uri: '/reports' });
  });

  it('prefers the first X-Forwarded-Host entry to Host', () => {
    const headers = readForwardHeaders(['Host', 'auth.internal', 'X-Forwarded-Host', ' App.Example.com:8443 , proxy', 'X-Forwarded-Host', 'later']);
    expect(headers.host).toBe('App.Example.com:8443');
  });

  it('combines repeated headers as node:http does', () => {
    const headers = readForwardHeaders([
      'cookie', 'a=1',
      'Host', 'first',
      'Cookie', 'passkey-auth=t',
      'Host', 'second',
      'Accept', 'application/json',
      'Accept', 'text/html',
      'X-Forwarded-Uri', '/one',
      'X-Forwarded-Uri', '/two',
    ]);
    expect(headers).toEqual({ host: 'first', cookie: 'a=1; passkey-auth=t', wantsHtml: true, method: undefined, uri: '/one' });
  });

  it('reports what is missing', () => {
    expect(readForwardHeaders([])).toEqual({ host: '', cookie: undefined, wantsHtml: false, method: undefined, uri: undefined });
    expect(readForwardHeaders(['Accept', 'application/json']).wantsHtml).toBe(false);
  });
});
