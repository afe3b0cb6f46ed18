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
  method: string | undefined;
  /** `X-Forwarded-Uri` (Caddy, Traefik) or `X-Original-URI` (nginx). */
  uri: string | undefined;
}

export interface ForwardLog {
  /** Whether a decision with this status is logged: asked first, so that nothing is built for the rest. */
  wants(status: number): boolean;
  write(entry: ForwardLogEntry): void;
}

const MAX_FIELD = 512;

/** Request-supplied text in a log line: no control characters (no forged lines), bounded length. */
function clean(value: string | undefined): string {
  const text = value ?? '-';
  return text.slice(0, MAX_FIELD).replace(/[\x00-\x20\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function createForwardLog(mode: ForwardLogMode, output: (text: string) => void = (text) => void process.stdout.write(text)): ForwardLog {
  let pending: string[] = [];
  const flush = () => {
    output(pending.join(''));
    pending = [];
  };
  return {
    wants: (status) => mode === 'all' || (mode === 'denied' && status !== 204),
    write(entry) {
      if (pending.length === 0) setImmediate(flush);
      pending.push(
        `forward ${entry.status} host=${clean(entry.host)} user=${entry.userId ?? '-'} ip=${entry.ip ?? '-'} ${clean(entry.method)} ${clean(entry.uri)}\n`,
      );
    },
  };
}
