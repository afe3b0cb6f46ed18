import { describe, expect, it } from 'vitest';
import { clientIpResolver, trustedProxyCheck, unmapIpv4 } from './clientIp.js';

describe('clientIpResolver', () => {
  const resolve = clientIpResolver(['10.0.0.0/8', '::1']);

  it('believes X-Forwarded-For only from trusted proxies', () => {
    expect(resolve('10.1.2.3', '203.0.113.9')).toBe('203.0.113.9');
    expect(resolve('198.51.100.1', '203.0.113.9')).toBe('198.51.100.1');
    expect(resolve('::ffff:10.1.2.3', '203.0.113.9')).toBe('203.0.113.9');
  });

  it('skips trusted hops from the right and ignores what the client prepended', () => {
    expect(resolve('::1', '1.2.3.4, 203.0.113.9, 10.0.0.7')).toBe('203.0.113.9');
    expect(resolve('10.0.0.1', 'garbage, 203.0.113.9')).toBe('203.0.113.9');
    expect(resolve('10.0.0.1', '203.0.113.9, not-an-ip')).toBe('10.0.0.1');
  });

  it('uses the peer when no proxy is trusted', () => {
    expect(clientIpResolver([])('10.1.2.3', '203.0.113.9')).toBe('10.1.2.3');
  });
});

describe('trustedProxyCheck', () => {
  it('matches addresses and ranges, IPv4-mapped IPv6 as IPv4', () => {
    const isTrusted = trustedProxyCheck(['10.0.0.0/8', '2001:db8::/32']);
    expect(isTrusted('10.9.8.7')).toBe(true);
    expect(isTrusted('::ffff:10.9.8.7')).toBe(true);
    expect(isTrusted('2001:db8:1::5')).toBe(true);
    expect(isTrusted('11.0.0.1')).toBe(false);
    expect(isTrusted('not-an-ip')).toBe(false);
    expect(isTrusted(undefined)).toBe(false);
  });

  it('trusts nobody when no proxy is configured', () => {
    expect(trustedProxyCheck([])('127.0.0.1')).toBe(false);
  });
});

describe('unmapIpv4', () => {
  it('unwraps IPv4-mapped IPv6 only', () => {
    expect(unmapIpv4('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(unmapIpv4('::ffff:abcd')).toBe('::ffff:abcd');
    expect(unmapIpv4('2001:db8::1')).toBe('2001:db8::1');
  });
});
