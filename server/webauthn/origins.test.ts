import { describe, expect, it } from 'vitest';
import { formatOriginRule, parseOrigin } from '../config.js';
import { originMatchesRule } from '../../shared/originRules.js';
import { allowedOrigin } from './origins.js';

describe('allowedOrigin', () => {
  const rules = ['https://example.com', 'https://*.example.com', 'http://localhost:4401'].map(parseOrigin);

  it.each([
    ['https://example.com', 'example.com'],
    ['https://app.example.com', 'app.example.com'],
    ['https://a.b.example.com', 'a.b.example.com'],
    ['http://localhost:4401', 'localhost'],
  ])('allows %s', (origin, host) => {
    expect(allowedOrigin(origin, rules)).toEqual({ origin, host });
  });

  it.each([
    undefined,
    'null',
    'https://evil.com',
    'https://example.com.evil.com',
    'https://badexample.com',
    'http://app.example.com',
    'https://app.example.com:8443',
    'http://localhost:4402',
    'https://app.example.com/path',
    'not a url',
  ])('refuses %s', (origin) => {
    expect(allowedOrigin(origin, rules)).toBeNull();
  });
});

describe('the pages agree with the server (shared/originRules.ts)', () => {
  const rules = ['http://localhost:4401', 'https://example.com', 'https://*.example.com', 'https://*.corp.example:8443'].map(parseOrigin);
  it.each([
    'http://localhost:4401',
    'http://localhost:4402',
    'https://localhost:4401',
    'http://127.0.0.1:4401',
    'https://example.com',
    'https://app.example.com',
    'https://a.b.example.com',
    'https://app.example.com:8443',
    'https://notexample.com',
    'https://example.com.evil.test',
    'https://x.corp.example:8443',
    'https://x.corp.example',
    'https://corp.example:8443',
  ])('%s', (origin) => {
    const server = allowedOrigin(origin, rules) !== null;
    expect(rules.map(formatOriginRule).some((rule) => originMatchesRule(origin, rule))).toBe(server);
  });
});
