import { describe, expect, it } from 'vitest';
import { accountKey, addressKey, ipv6Prefix64, linkKey } from './rateLimitKeys.js';

describe('addressKey', () => {
  it('counts IPv6 by /64, whatever the interface part', () => {
    expect(addressKey('2001:db8:1:2::1')).toBe('ip:2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('ip:2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:abcd::9')).toBe('ip:2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
  });

  it('counts IPv4 and IPv4-mapped IPv6 as the same IPv4 address', () => {
    expect(addressKey('192.0.2.7')).toBe('ip:192.0.2.7');
    expect(addressKey('::ffff:192.0.2.7')).toBe('ip:192.0.2.7');
  });

  it('keeps namespaces apart', () => {
    expect(accountKey('192.0.2.7')).not.toBe(addressKey('192.0.2.7'));
    expect(linkKey('abandon.ability.able.about.above')).toBe(linkKey(' Abandon.Ability.Able.About.Above'));
    expect(linkKey('abandon.ability.able.about.above')).not.toContain('abandon');
  });
});

describe('ipv6Prefix64', () => {
  it('expands :: wherever it stands', () => {
    expect(ipv6Prefix64('::1')).toBe('0:0:0:0::/64');
    expect(ipv6Prefix64('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(ipv6Prefix64('1:2::7:8')).toBe('1:2:0:0::/64');
    expect(ipv6Prefix64('1:2:3:4:5:6:7:8')).toBe('1:2:3:4::/64');
    expect(ipv6Prefix64('1:2::4:5:6:1.2.3.4')).toBe('1:2:0:4::/64');
    expect(ipv6Prefix64('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });
});
