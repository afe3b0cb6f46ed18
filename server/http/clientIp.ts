/**
 * Who the client is: the socket's peer, or, when that peer is a trusted proxy,
 * the right-most `X-Forwarded-For` entry that is not itself a trusted proxy.
 */
import { BlockList, isIP } from 'node:net';
import { parseCidr } from '../config.js';

/** Addresses whose trusted-proxy answer is kept (proxies and recent clients); all are forgotten at once beyond. */
const REMEMBERED_ANSWERS = 1000;

export type ClientIpResolver = (remoteAddress: string | undefined, forwardedFor: string | undefined) => string;

/** Tells whether a socket peer is one of the `--trusted-proxy` addresses or ranges. */
export type TrustedProxyCheck = (address: string | undefined) => boolean;

/** An IPv4-mapped IPv6 address (`::ffff:10.1.2.3`) as the IPv4 address it carries; others unchanged. */
export function unmapIpv4(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * Builds the check once from `--trusted-proxy` entries; forwarded headers
 * (`X-Forwarded-For`, `-Host`, `-Proto`) are believed only from such peers.
 * @param trustedProxies addresses or CIDR ranges, already validated by the config
 * @example const isTrusted = trustedProxyCheck(['10.0.0.0/8']); isTrusted('::ffff:10.1.2.3') // true
 */
export function trustedProxyCheck(trustedProxies: readonly string[]): TrustedProxyCheck {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const { address, bits } = parseCidr(entry);
    trusted.addSubnet(address, bits, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
  // Answers remembered by address: BlockList.check builds a SocketAddress per call, and one
  // request asks about its peer several times (connection, upgrade, request id, rate limit).
  const answers = new Map<string, boolean>();
  return (address) => {
    if (address === undefined || trustedProxies.length === 0) return false;
    let answer = answers.get(address);
    if (answer === undefined) {
      const plain = unmapIpv4(address);
      const family = isIP(plain);
      answer = family !== 0 && trusted.check(plain, family === 6 ? 'ipv6' : 'ipv4');
      if (answers.size >= REMEMBERED_ANSWERS) answers.clear();
      answers.set(address, answer);
    }
    return answer;
  };
}

/** Builds the resolver once from `--trusted-proxy` entries. */
export function clientIpResolver(trustedProxies: readonly string[]): ClientIpResolver {
  const isTrusted = trustedProxyCheck(trustedProxies);
  return (remoteAddress, forwardedFor) => {
    const peer = remoteAddress ?? 'unknown';
    if (!forwardedFor || !isTrusted(peer)) return peer;
    const hops = forwardedFor.split(',').map((hop) => hop.trim());
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      if (isIP(hop) === 0) return peer;
      if (!isTrusted(hop)) return hop;
    }
    return hops[0] ?? peer;
  };
}
