import { describe, expect, it } from 'vitest';
import { clientIpResolver } from './clientIp.js';

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
