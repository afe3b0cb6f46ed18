/**
 * One log line per forward decision (as `--forward-log` selects), written in
 * batches so that a busy proxy does not pay a write per request.
 */
import type { ForwardLogMode } from '../config.js';

export interface ForwardLogEntry {
  status: number;
  host: string;
  userId: string | null;
  ip: string | undefined;
  /** `X-Forwarded-Method` (Caddy, Traefik) or `X-Original-Method` (nginx). */
  method: string | string[] | undefined;
  /** `X-Forwarded-Uri` (Caddy, Traefik) or `X-Original-URI` (nginx). */
  uri: string | string[] | undefined;
}

export type ForwardLog = (entry: ForwardLogEntry) => void;

const MAX_FIELD = 512;

/** Request-supplied text in a log line: no control characters (no forged lines), bounded length. */
function clean(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? value[0] ?? '-' : value ?? '-';
  return text.slice(0, MAX_FIELD).replace(/[\x00-\x20\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function createForwardLog(mode: ForwardLogMode, write: (text: string) => void = (text) => void process.stdout.write(text)): ForwardLog {
  if (mode === 'none') return () => {};
  let pending: string[] = [];
  const flush = () => {
    write(pending.join(''));
    pending = [];
  };
  return (entry) => {
    if (mode === 'denied' && entry.status === 204) return;
    if (pending.length === 0) setImmediate(flush);
    pending.push(
      `forward ${entry.status} host=${clean(entry.host)} user=${entry.userId ?? '-'} ip=${entry.ip ?? '-'} ${clean(entry.method)} ${clean(entry.uri)}\n`,
    );
  };
}
