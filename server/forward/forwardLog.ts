/**
 * The forward-auth log (as `--forward-log` selects), written in batches so that a
 * busy proxy does not pay a write per request.
 *
 * `all` writes a line per decision. `denied`, the default, must not grow with
 * anonymous traffic (every visitor's first request is a denial; a crawler makes
 * millions): each minute it writes the first {@link FULL_DENIALS_PER_WINDOW} denials in
 * full, counts the rest per status and host, and closes the minute with one summary
 * line of those counts.
 */
import type { ForwardLogMode } from '../config.js';

export interface ForwardLogEntry {
  status: number;
  host: string;
  userId: string | null;
  /** The client's address (X-Forwarded-For believed from trusted proxies only). */
  ip: string;
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

/** Denials written in full per window; the rest are counted. */
export const FULL_DENIALS_PER_WINDOW = 10;
/** How long a window of denials lasts before its summary line. */
export const DENIAL_WINDOW_MS = 60_000;
/** Distinct status-and-host pairs counted per window; further hosts count as one `host=(others)`. */
const MAX_COUNTED = 100;
const MAX_FIELD = 512;

/** Request-supplied text in a log line: no control characters (no forged lines), bounded length. */
function clean(value: string | undefined): string {
  const text = value ?? '-';
  return text.slice(0, MAX_FIELD).replace(/[\x00-\x20\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function line(entry: ForwardLogEntry): string {
  return `forward ${entry.status} host=${clean(entry.host)} user=${entry.userId ?? '-'} ip=${clean(entry.ip)} ${clean(entry.method)} ${clean(entry.uri)}\n`;
}

export function createForwardLog(mode: ForwardLogMode, output: (text: string) => void = (text) => void process.stdout.write(text)): ForwardLog {
  let pending: string[] = [];
  const flush = () => {
    output(pending.join(''));
    pending = [];
  };
  const emit = (text: string) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push(text);
  };

  let windowOpen = false;
  let writtenInWindow = 0;
  const counted = new Map<string, number>();
  const closeWindow = () => {
    windowOpen = false;
    writtenInWindow = 0;
    if (counted.size === 0) return;
    let total = 0;
    const parts: string[] = [];
    for (const [key, count] of counted) {
      total += count;
      parts.push(`${key} x${count}`);
    }
    counted.clear();
    emit(`forward denials not logged in full in the last ${DENIAL_WINDOW_MS / 1000} s: ${total} (${parts.join(', ')})\n`);
  };

  return {
    wants: (status) => mode === 'all' || (mode === 'denied' && status !== 204),
    write(entry) {
      if (mode === 'all') return emit(line(entry));
      if (!windowOpen) {
        windowOpen = true;
        setTimeout(closeWindow, DENIAL_WINDOW_MS).unref();
      }
      if (writtenInWindow < FULL_DENIALS_PER_WINDOW) {
        writtenInWindow++;
        return emit(line(entry));
      }
      let key = `${entry.status} host=${clean(entry.host)}`;
      if (!counted.has(key) && counted.size >= MAX_COUNTED) key = `${entry.status} host=(others)`;
      counted.set(key, (counted.get(key) ?? 0) + 1);
    },
  };
}
