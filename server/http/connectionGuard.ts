/**
 * Caps on open connections and WebSockets: overall, so a flood cannot exhaust file
 * descriptors, and per client, so one client cannot take all of them. A trusted proxy
 * carries every visitor, so its connections are not capped here (it bounds its own
 * upstream connections); its WebSockets count per client as it names them.
 */
import type { ConnectionLimits } from '../config.js';
import type { TrustedProxyCheck } from './clientIp.js';
import { addressKey } from './rateLimitKeys.js';

/** Frees a slot; call once, when the connection or socket closes. */
export type Release = () => void;

/** Why a slot was refused: the overall cap, or this client's. */
export type Refusal = 'full' | 'client';

/** Counts open things per key and together under two caps. */
export class CappedCounter {
  private readonly byKey = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerKey: number,
  ) {}

  /** Takes a slot for `key`; returns its release, or why it was refused. */
  acquire(key: string): Release | Refusal {
    if (this.total >= this.maxTotal) return 'full';
    const held = this.byKey.get(key) ?? 0;
    if (held >= this.maxPerKey) return 'client';
    this.total++;
    this.byKey.set(key, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = this.byKey.get(key)! - 1;
      if (left === 0) this.byKey.delete(key);
      else this.byKey.set(key, left);
    };
  }
}

export interface ConnectionGuard {
  /** A new TCP connection from `peer`; null when it must be closed at once. Trusted proxies always pass. */
  admitConnection(peer: string | undefined): Release | null;
  /** A WebSocket upgrade from `client` (as `clientIpResolver` names it); a release, or why it is refused. */
  admitWebSocket(client: string): Release | Refusal;
}

const NOTHING_TO_RELEASE: Release = () => {};

/**
 * @param limits the caps from the configuration
 * @param isTrusted the `--trusted-proxy` check
 * @example const guard = connectionGuard(config.connections, isTrusted); server.on('connection', (s) => guard.admitConnection(s.remoteAddress) ?? s.destroy());
 */
export function connectionGuard(limits: ConnectionLimits, isTrusted: TrustedProxyCheck): ConnectionGuard {
  const connections = new CappedCounter(limits.maxConnections, limits.maxConnectionsPerClient);
  const webSockets = new CappedCounter(limits.maxWebSockets, limits.maxWebSocketsPerClient);
  return {
    admitConnection(peer) {
      if (isTrusted(peer)) return NOTHING_TO_RELEASE;
      const slot = connections.acquire(addressKey(peer ?? 'unknown'));
      return typeof slot === 'function' ? slot : null;
    },
    admitWebSocket(client) {
      return webSockets.acquire(addressKey(client));
    },
  };
}
