/**
 * The keys rate limits count under, one namespace per kind so that an address,
 * an account and a link never share a counter.
 */
import { isIP } from 'node:net';
import { unmapIpv4 } from './clientIp.js';
import { normaliseResetToken } from '../../shared/resetToken.js';
import { secretHashKey } from '../crypto/tokens.js';

/**
 * The client address as a rate-limit key. IPv6 counts by /64, the smallest
 * block a site or a single host is usually given (one machine can pick any of
 * its 2^64 addresses); an IPv4-mapped IPv6 address counts as the IPv4 address.
 * @example addressKey('2001:db8:1:2:aaaa::1') // 'ip:2001:db8:1:2::/64'
 */
export function addressKey(address: string): string {
  const plain = unmapIpv4(address);
  return isIP(plain) === 6 ? `ip:${ipv6Prefix64(plain)}` : `ip:${plain}`;
}

/** Attempts aimed at one account, from wherever they come. */
export function accountKey(userId: string): string {
  return `account:${userId}`;
}

/** Attempts presenting one link token (hashed: the limiter keeps no secret in memory). */
export function linkKey(token: string): string {
  return `link:${secretHashKey(normaliseResetToken(token))}`;
}

/** The first four groups of a valid IPv6 address, canonical (`2001:db8:0:1::/64`). */
export function ipv6Prefix64(address: string): string {
  const withoutZone = address.split('%')[0]!;
  const [head = '', tail] = withoutZone.split('::');
  const groupsOf = (part: string): string[] => (part === '' ? [] : part.split(':'));
  // A trailing dotted IPv4 part (`::ffff:1.2.3.4`, `64:ff9b::1.2.3.4`) stands for two groups.
  const width = (groups: string[]): number => groups.length + (groups.at(-1)?.includes('.') ? 1 : 0);
  const headGroups = groupsOf(head);
  const tailGroups = groupsOf(tail ?? '');
  const missing = tail === undefined ? 0 : 8 - width(headGroups) - width(tailGroups);
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return `${groups.slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16)).join(':')}::/64`;
}
