import { describe, expect, it } from 'vitest';
import { parseOrigin } from '../config.js';
import { refusedOriginLog } from './refusedOriginLog.js';

function logWithClock() {
  const lines: string[] = [];
  let clock = 1_000;
  const note = refusedOriginLog({ origins: [parseOrigin('http://localhost:4401'), parseOrigin('https://*.example.com')], now: () => clock, log: (line) => lines.push(line) });
  return { note, lines, advance: (ms: number) => void (clock += ms) };
}

describe('refusedOriginLog', () => {
  it('names the refused origin, the allowed ones and the flag that would allow it', () => {
    const { note, lines } = logWithClock();
    note('http://127.0.0.1:4401');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"http://127.0.0.1:4401"');
    expect(lines[0]).toContain('allowed: http://localhost:4401, https://*.example.com');
    expect(lines[0]).toContain('--origin http://127.0.0.1:4401');
  });

  it('logs each origin at most once per 15 minutes', () => {
    const { note, lines, advance } = logWithClock();
    note('http://127.0.0.1:4401');
    advance(14 * 60_000);
    note('http://127.0.0.1:4401');
    note('https://localhost:8443');
    expect(lines).toHaveLength(2);
    advance(60_000);
    note('http://127.0.0.1:4401');
    expect(lines).toHaveLength(3);
  });

  it('logs at most 10 lines a minute whatever the number of origins', () => {
    const { note, lines, advance } = logWithClock();
    for (let i = 0; i < 50; i++) note(`https://made-up-${i}.example`);
    expect(lines).toHaveLength(10);
    advance(60_000);
    note('https://another.example');
    expect(lines).toHaveLength(11);
  });

  it('offers no flag for a header that is no origin, and quotes it', () => {
    const { note, lines } = logWithClock();
    note('null');
    note(undefined);
    note('http://x"\n forged line');
    expect(lines[0]).toContain('"null"');
    expect(lines[1]).toContain('without an Origin header');
    expect(lines[2]).toContain('"http://x\\"\\n forged line"');
    expect(lines.join('')).not.toContain('--origin');
    expect(lines.join('')).not.toContain('\n');
  });
});
