import { describe, expect, it } from 'vitest';
import { REDIRECT_URI_MAX, redirectUriProblem } from './redirectUriRule.js';

describe('redirectUriProblem', () => {
  it.each([
    'https://grafana.example.com/login/generic_oauth',
    'https://app.example.com:8443/callback?tenant=a',
    'http://127.0.0.1:5000/callback',
    'http://[::1]/callback',
    'http://localhost:3000/cb',
    'app.immich:///oauth-callback',
    'com.example.app:/callback',
  ])('accepts %s', (uri) => {
    expect(redirectUriProblem(uri)).toBeNull();
  });

  it.each([
    ['https://app.example.com/callback#done', 'fragment'],
    ['https://app.example.com/callback#', 'fragment'],
    ['/callback', 'absolute URI'],
    ['app.example.com/callback', 'absolute URI'],
    ['http://app.example.com/callback', 'only on a loopback address'],
    ['http://127.0.0.2.nip.io/callback', 'only on a loopback address'],
    ['https://user:pass@app.example.com/cb', 'user name or password'],
    ['javascript:alert(1)', 'scheme "javascript:"'],
    ['data:text/html,hi', 'scheme "data:"'],
    ['file:///etc/passwd', 'scheme "file:"'],
    ['myapp://callback', 'scheme "myapp:"'],
    ['https://app.example.com/call back', 'spaces'],
    ['', '1 to'],
    [`https://app.example.com/${'a'.repeat(REDIRECT_URI_MAX)}`, '1 to'],
  ])('refuses %s', (uri, problem) => {
    expect(redirectUriProblem(uri)).toContain(problem);
  });
});
