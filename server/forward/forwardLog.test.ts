import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DENIAL_WINDOW_MS, FULL_DENIALS_PER_WINDOW, createForwardLog, type ForwardLogEntry } from './forwardLog.js';

const denial = (host: string, status = 401): ForwardLogEntry => ({ status, host, userId: null, ip: '192.0.2.1', method: 'GET', uri: '/' });

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('the default forward log (denied)', () => {
  it('writes the first denials of a minute in full and sums up the rest in one line', () => {
    let text = '';
    const log = createForwardLog('denied', (chunk) => void (text += chunk));
    for (let i = 0; i < 10_000; i++) log.write(denial(i % 2 === 0 ? 'a.example' : 'b.example'));
    log.write(denial('a.example', 403));
    vi.advanceTimersByTime(0);
    expect(text.split('\n').filter(Boolean)).toHaveLength(FULL_DENIALS_PER_WINDOW);
    vi.advanceTimersByTime(DENIAL_WINDOW_MS);
    vi.runOnlyPendingTimers(); // the summary's batched write
    const lines = text.split('\n').filter(Boolean);
    expect(lines).toHaveLength(FULL_DENIALS_PER_WINDOW + 1);
    expect(lines.at(-1)).toBe('forward denials not logged in full in the last 60 s: 9991 (401 host=a.example x4995, 401 host=b.example x4995, 403 host=a.example x1)');
    // A new minute starts afresh.
    log.write(denial('c.example'));
    vi.advanceTimersByTime(0);
    expect(text.split('\n').filter(Boolean).at(-1)).toContain('forward 401 host=c.example');
  });

  it('counts at most a hundred hosts a minute, the others together', () => {
    let text = '';
    const log = createForwardLog('denied', (chunk) => void (text += chunk));
    for (let i = 0; i < FULL_DENIALS_PER_WINDOW + 500; i++) log.write(denial(`h${i}.example`));
    vi.advanceTimersByTime(DENIAL_WINDOW_MS);
    vi.runOnlyPendingTimers(); // the summary's batched write
    const summary = text.split('\n').filter(Boolean).at(-1)!;
    expect(summary.split(', ')).toHaveLength(101);
    expect(summary).toContain('401 host=(others) x400');
  });

  it('writes every decision in full in mode all', () => {
    let text = '';
    const log = createForwardLog('all', (chunk) => void (text += chunk));
    for (let i = 0; i < 50; i++) log.write(denial('a.example'));
    vi.advanceTimersByTime(0);
    expect(text.split('\n').filter(Boolean)).toHaveLength(50);
  });
});

describe('the forward log as JSON lines', () => {
  it('writes each decision and the minute summary as one JSON object, the URI without link words', () => {
    let text = '';
    const log = createForwardLog('denied', (chunk) => void (text += chunk), 'json', () => Date.UTC(2026, 10, 30));
    const entry = { ...denial('a.example'), uri: '/auth/abandon.ability.able.about.above?next=%2F', requestId: 'r-1' };
    for (let i = 0; i <= FULL_DENIALS_PER_WINDOW; i++) log.write(entry);
    vi.advanceTimersByTime(DENIAL_WINDOW_MS);
    vi.runOnlyPendingTimers();
    const lines = text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    expect(lines[0]).toEqual({ time: '2026-11-30T00:00:00.000Z', level: 'info', msg: 'forward', status: 401, host: 'a.example', user: null, ip: '192.0.2.1', method: 'GET', uri: '/auth/[link]?next=%2F', requestId: 'r-1' });
    expect(lines.at(-1)).toEqual({ time: '2026-11-30T00:00:00.000Z', level: 'info', msg: 'forward denials not logged in full in the last 60 s', total: 1, counts: [{ status: 401, host: 'a.example', count: 1 }] });
  });
});
