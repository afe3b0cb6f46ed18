import { describe, expect, it } from 'vitest';
import { parseOrigin } from '../config.js';
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
