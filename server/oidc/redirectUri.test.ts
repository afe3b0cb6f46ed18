import { describe, expect, it } from 'vitest';
import { isRegisteredRedirectUri, redirectOrigins } from './redirectUri.js';

describe('isRegisteredRedirectUri', () => {
  const registered = ['https://app.example.com/cb', 'http://127.0.0.1/native', 'http://[::1]:8080/v6', 'http://localhost:3000/dev'];

  it('matches registered URIs exactly', () => {
    expect(isRegisteredRedirectUri(registered, 'https://app.example.com/cb')).toBe(true);
    for (const near of ['https://app.example.com/cb/', 'https://app.example.com/cb?x=1', 'https://APP.example.com/cb', 'http://app.example.com/cb', 'https://app.example.com:443/cb#']) {
      expect(isRegisteredRedirectUri(registered, near), near).toBe(false);
    }
  });

  it('lets loopback IP URIs use any port (RFC 8252 §7.3), and nothing else about them change', () => {
    expect(isRegisteredRedirectUri(registered, 'http://127.0.0.1:51234/native')).toBe(true);
    expect(isRegisteredRedirectUri(registered, 'http://127.0.0.1/native')).toBe(true);
    expect(isRegisteredRedirectUri(registered, 'http://[::1]:9/v6')).toBe(true);
    expect(isRegisteredRedirectUri(registered, 'http://127.0.0.1:51234/other')).toBe(false);
    expect(isRegisteredRedirectUri(registered, 'https://127.0.0.1:51234/native')).toBe(false);
    expect(isRegisteredRedirectUri(registered, 'http://127.0.0.2:51234/native')).toBe(false);
  });

  it('gives localhost no port leniency (RFC 8252 §8.3)', () => {
    expect(isRegisteredRedirectUri(registered, 'http://localhost:3000/dev')).toBe(true);
    expect(isRegisteredRedirectUri(registered, 'http://localhost:3001/dev')).toBe(false);
  });
});

it('redirectOrigins names each URI\'s origin once', () => {
  expect([...redirectOrigins(['https://a.example.com/cb', 'https://a.example.com/other', 'http://127.0.0.1:8/x'])]).toEqual(['https://a.example.com', 'http://127.0.0.1:8']);
});
