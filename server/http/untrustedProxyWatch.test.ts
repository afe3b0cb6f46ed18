import { describe, expect, it } from 'vitest';
import { trustedProxyCheck } from './clientIp.js';
import { untrustedProxyWatch } from './untrustedProxyWatch.js';

function watchWithClock() {
  const lines: string[] = [];
  let clock = 1_000;
  const watch = untrustedProxyWatch({ isTrusted: trustedProxyCheck(['10.0.0.1']), now: () => clock, log: (line) => lines.push(line) });
  return { watch, lines, advance: (ms: number) => void (clock += ms) };
}

describe('untrustedProxyWatch', () => {
  it('reports X-Forwarded-For from an untrusted peer, naming the flag to add', () => {
    const { watch, lines } = watchWithClock();
    watch.observe('::ffff:172.17.0.1', ['Host', 'a', 'X-Forwarded-For', '203.0.113.9']);
    expect(watch.latest()).toEqual({ peer: '::ffff:172.17.0.1', lastSeen: 1_000 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('--trusted-proxy ::ffff:172.17.0.1');
  });

  it('stays quiet for trusted proxies and for requests without the header', () => {
    const { watch, lines } = watchWithClock();
    watch.observe('10.0.0.1', ['x-forwarded-for', '203.0.113.9']);
    watch.observe('198.51.100.7', ['Host', 'a', 'X-Forwarded-Proto', 'https']);
    expect(watch.latest()).toBeNull();
    expect(lines).toEqual([]);
  });

  it('logs at most once per 15 minutes but keeps the latest sighting', () => {
    const { watch, lines, advance } = watchWithClock();
    for (let i = 0; i < 100; i++) watch.observe('127.0.0.1', ['X-FORWARDED-FOR', '203.0.113.9']);
    advance(60_000);
    watch.observe('127.0.0.2', ['x-forwarded-for', '203.0.113.9']);
    expect(lines).toHaveLength(1);
    expect(watch.latest()).toEqual({ peer: '127.0.0.2', lastSeen: 61_000 });
    advance(15 * 60_000);
    watch.observe('127.0.0.1', ['x-forwarded-for', '203.0.113.9']);
    expect(lines).toHaveLength(2);
  });
});
