import { describe, expect, it } from 'vitest';
import { CappedCounter, connectionGuard, type Release } from './connectionGuard.js';
import { clientIpResolver, trustedProxyCheck } from './clientIp.js';

const LIMITS = { maxConnections: 4, maxConnectionsPerClient: 2, maxWebSockets: 4, maxWebSocketsPerClient: 1 };

describe('CappedCounter', () => {
  it('refuses past the per-key cap, then past the total, and frees slots once each', () => {
    const counter = new CappedCounter(3, 2);
    const a1 = counter.acquire('a') as Release;
    counter.acquire('a');
    expect(counter.acquire('a')).toBe('client');
    counter.acquire('b');
    expect(counter.acquire('c')).toBe('full');
    a1();
    a1();
    expect(typeof counter.acquire('c')).toBe('function');
    expect(counter.acquire('d')).toBe('full');
  });
});

describe('connectionGuard', () => {
  const trusted = ['10.0.0.1'];
  const guard = () => connectionGuard(LIMITS, trustedProxyCheck(trusted));
  const resolveClient = clientIpResolver(trusted);

  it('caps connections per peer (IPv6 by /64) and together, but never a trusted proxy', () => {
    const g = guard();
    expect(g.admitConnection('2001:db8::1')).not.toBeNull();
    expect(g.admitConnection('2001:db8::2')).not.toBeNull();
    expect(g.admitConnection('2001:db8::3')).toBeNull();
    g.admitConnection('192.0.2.1');
    g.admitConnection('192.0.2.2');
    expect(g.admitConnection('192.0.2.3')).toBeNull();
    for (let i = 0; i < 100; i++) expect(g.admitConnection('10.0.0.1')).not.toBeNull();
  });

  it('counts WebSockets per client as the trusted proxy names it', () => {
    const g = guard();
    expect(typeof g.admitWebSocket(resolveClient('10.0.0.1', '203.0.113.1'))).toBe('function');
    expect(g.admitWebSocket(resolveClient('10.0.0.1', '203.0.113.1'))).toBe('client');
    expect(typeof g.admitWebSocket(resolveClient('10.0.0.1', '203.0.113.2'))).toBe('function');
    // An untrusted peer cannot pick its client name.
    expect(typeof g.admitWebSocket(resolveClient('198.51.100.1', '203.0.113.3'))).toBe('function');
    expect(g.admitWebSocket(resolveClient('198.51.100.1', '203.0.113.4'))).toBe('client');
    expect(typeof g.admitWebSocket(resolveClient('10.0.0.1', '203.0.113.5'))).toBe('function');
    expect(g.admitWebSocket(resolveClient('10.0.0.1', '203.0.113.6'))).toBe('full');
  });
});
