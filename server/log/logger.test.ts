import { describe, expect, it } from 'vitest';
import { createLogger, jsonLine, textLine } from './logger.js';

const TIME = Date.UTC(2026, 10, 30, 12, 0, 0);

function capture(format: 'text' | 'json') {
  const out = { stdout: [] as string[], stderr: [] as string[] };
  const log = createLogger(format, { stdout: (text) => out.stdout.push(text), stderr: (text) => out.stderr.push(text) }, () => TIME);
  return { log, out };
}

describe('the logger', () => {
  it('writes JSON lines with time, level and msg first, information to stdout and the rest to stderr', () => {
    const { log, out } = capture('json');
    log.info('listening', { port: 4401 });
    log.warn('careful');
    log.error('request failed', { requestId: 'r-1' });
    expect(out.stdout).toEqual(['{"time":"2026-11-30T12:00:00.000Z","level":"info","msg":"listening","port":4401}\n']);
    expect(out.stderr.map((line) => JSON.parse(line))).toEqual([
      { time: '2026-11-30T12:00:00.000Z', level: 'warn', msg: 'careful' },
      { time: '2026-11-30T12:00:00.000Z', level: 'error', msg: 'request failed', requestId: 'r-1' },
    ]);
  });

  it('keeps an error on one JSON line, with its stack', () => {
    const line = jsonLine(TIME, 'error', 'failed', { error: new Error('disk full\nreally') });
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line).error).toMatchObject({ name: 'Error', message: 'disk full\nreally', stack: expect.stringContaining('disk full') });
    expect(JSON.parse(jsonLine(TIME, 'error', 'failed', { error: 'a string' })).error).toBe("'a string'");
  });

  it('never lets a field overwrite time, level or msg', () => {
    expect(JSON.parse(jsonLine(TIME, 'info', 'real', { msg: 'forged', level: 'error', time: 0 }))).toEqual({ time: '2026-11-30T12:00:00.000Z', level: 'info', msg: 'real' });
  });

  it('writes text as the message, key=value fields, then the stack below', () => {
    const { log, out } = capture('text');
    log.info('listening on http://127.0.0.1:4401');
    log.error('GET /x failed', { requestId: 'r-1', error: new Error('boom') });
    expect(out.stdout).toEqual(['listening on http://127.0.0.1:4401\n']);
    expect(out.stderr[0]).toMatch(/^GET \/x failed requestId=r-1\nError: boom\n {4}at /);
    expect(textLine('info', 'x', { n: 1, skipped: undefined, list: [1] })).toBe('x n=1 list=[1]\n');
  });

  it('redacts fields whose names say they hold a secret, in both formats', () => {
    const secrets = { token: 'dGhlIHRva2Vu', sessionCookie: 'pa_session=abc', Authorization: 'Bearer xyz', clientSecret: 's3cret' };
    for (const line of [jsonLine(TIME, 'info', 'm', secrets), textLine('info', 'm', secrets)]) {
      for (const value of Object.values(secrets)) expect(line).not.toContain(value);
      expect(line).toContain('[redacted]');
    }
  });
});
