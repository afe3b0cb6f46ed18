/**
 * The client's IP address: the socket's peer, or, when that peer is a trusted
 * proxy, the right-most `X-Forwarded-For` entry that is not itself a trusted proxy.
 */
import { BlockList, isIP } from 'node:net';
import { parseCidr } from '../config.js';

export type ClientIpResolver = (remoteAddress: string | undefined, forwardedFor: string | undefined) => string;

/** Builds the resolver once from `--trusted-proxy` entries. */
export function clientIpResolver(trustedProxies: readonly string[]): ClientIpResolver {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const { address, bits } = parseCidr(entry);
    trusted.addSubnet(address, bits, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
  const isTrusted = (address: string): boolean => {
    const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const family = isIP(plain);
    return family !== 0 && trusted.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
  return (remoteAddress, forwardedFor) => {
    const peer = remoteAddress ?? 'unknown';
    if (trustedProxies.length === 0 || !forwardedFor || !isTrusted(peer)) return peer;
    const hops = forwardedFor.split(',').map((hop) => hop.trim());
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      if (isIP(hop) === 0) return peer;
      if (!isTrusted(hop)) return hop;
    }
    return hops[0] ?? peer;
  };
}
