/**
 * The service's log: every line goes through here, so the format (`--log-format`) is
 * chosen once. `text` is for people: the message, then `key=value` fields. `json` writes
 * one object a line with `time`, `level` and `msg` first, then the fields (`requestId`
 * on lines about a request). Information goes to stdout, warnings and errors to stderr.
 *
 * Callers never pass secrets (tokens, cookies, link words, Authorization headers); as a
 * second line of defence, a field whose name says it holds one is written as `[redacted]`.
 */
import { inspect } from 'node:util';
import type { LogFormat } from '../config.js';

export type LogLevel = 'info' | 'warn' | 'error';
/** Extra fields of a line; `error` may hold anything thrown. */
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** One line in this logger's format, newline included, for writers that batch their own output (the forward log). */
  format(level: LogLevel, msg: string, fields?: LogFields): string;
}

export interface LogOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const PROCESS_OUTPUT: LogOutput = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** Field names that would hold a secret; their values are never written. */
const SECRET_FIELD = /token|cookie|authorization|secret|password|passphrase/i;
const REDACTED = '[redacted]';

/**
 * @param format `text` (for people) or `json` (one object a line)
 * @param output where lines go (the process's stdout and stderr)
 * @param now the clock for JSON's `time`
 * @example const log = createLogger('json'); log.error('request failed', { requestId, error });
 */
export function createLogger(format: LogFormat, output: LogOutput = PROCESS_OUTPUT, now: () => number = Date.now): Logger {
  const formatLine = format === 'json' ? (level: LogLevel, msg: string, fields?: LogFields) => jsonLine(now(), level, msg, fields) : textLine;
  const write = (level: LogLevel) => (msg: string, fields?: LogFields) => (level === 'info' ? output.stdout : output.stderr)(formatLine(level, msg, fields));
  return { info: write('info'), warn: write('warn'), error: write('error'), format: formatLine };
}

/** `msg key=value …`, then an error's stack on the lines below. */
export function textLine(_level: LogLevel, msg: string, fields: LogFields = {}): string {
  let line = msg;
  let error = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (key === 'error') error = `\n${inspect(value)}`;
    else line += ` ${key}=${SECRET_FIELD.test(key) ? REDACTED : typeof value === 'string' ? value : JSON.stringify(value)}`;
  }
  return `${line}${error}\n`;
}

/** One JSON object: `time` (ISO 8601), `level`, `msg`, then the fields; errors as name, message and stack. */
export function jsonLine(time: number, level: LogLevel, msg: string, fields: LogFields = {}): string {
  const record: Record<string, unknown> = { time: new Date(time).toISOString(), level, msg };
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'time' || key === 'level' || key === 'msg') continue;
    record[key] = SECRET_FIELD.test(key) ? REDACTED : key === 'error' ? serialiseError(value) : value;
  }
  return `${JSON.stringify(record)}\n`;
}

function serialiseError(error: unknown): unknown {
  if (!(error instanceof Error)) return inspect(error);
  return { name: error.name, message: error.message, stack: error.stack };
}
