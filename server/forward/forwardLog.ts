/**
 * The forward-auth log (as `--forward-log` selects), written in batches so that a
 * busy proxy does not pay a write per request.
 *
 * `all` writes a line per decision. `denied`, the default, must not grow with
 * anonymous traffic (every visitor's first request is a denial; a crawler makes
 * millions): each minute it writes the first {@link FULL_DENIALS_PER_WINDOW} denials in
 * full, counts the rest per status and host, and closes the minute with one summary
 * line of those counts.
 *
 * With `--log-format json` each line is a JSON object (server/log/logger.ts) with
 * the decision's fields and its `requestId`.
 */
import type { ForwardLogMode, LogFormat } from '../config.js';
import { jsonLine } from '../log/logger.js';
import { redactLinkTokens } from '../log/redactLinkTokens.js';

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
  /** The request's id (a trusted proxy's `X-Request-Id`, else generated); in JSON lines only. */
  requestId?: string;
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

/** The original URI, without the words of a link token should a proxy have asked about a link's page. */
function loggedUri(uri: string | undefined): string | undefined {
  return uri === undefined ? undefined : redactLinkTokens(uri.slice(0, MAX_FIELD));
}

function textLine(entry: ForwardLogEntry): string {
  return `forward ${entry.status} host=${clean(entry.host)} user=${entry.userId ?? '-'} ip=${clean(entry.ip)} ${clean(entry.method)} ${clean(loggedUri(entry.uri))}\n`;
}

/** JSON escapes what `clean` would; only the length is bounded here. */
function jsonEntry(time: number, entry: ForwardLogEntry): string {
  const bounded = (value: string | undefined) => value?.slice(0, MAX_FIELD) ?? null;
  return jsonLine(time, 'info', 'forward', {
    status: entry.status,
    host: bounded(entry.host),
    user: entry.userId,
    ip: bounded(entry.ip),
    method: bounded(entry.method),
    uri: loggedUri(entry.uri) ?? null,
    requestId: entry.requestId,
  });
}

/**
 * @param mode which decisions are written (`--forward-log`)
 * @param output where batches of lines go
 * @param format `text` lines or `json` objects (`--log-format`)
 * @param now the clock for JSON's `time`
 */
export function createForwardLog(
  mode: ForwardLogMode,
  output: (text: string) => void = (text) => void process.stdout.write(text),
  format: LogFormat = 'text',
  now: () => number = Date.now,
): ForwardLog {
  const line = format === 'json' ? (entry: ForwardLogEntry) => jsonEntry(now(), entry) : textLine;
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
  const counted = new Map<string, { status: number; host: string; count: number }>();
  const closeWindow = () => {
    windowOpen = false;
    writtenInWindow = 0;
    if (counted.size === 0) return;
    const groups = [...counted.values()];
    counted.clear();
    const total = groups.reduce((sum, group) => sum + group.count, 0);
    const msg = `forward denials not logged in full in the last ${DENIAL_WINDOW_MS / 1000} s`;
    if (format === 'json') return emit(jsonLine(now(), 'info', msg, { total, counts: groups }));
    emit(`${msg}: ${total} (${groups.map((group) => `${group.status} host=${group.host} x${group.count}`).join(', ')})\n`);
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
      let host = clean(entry.host);
      let key = `${entry.status} ${host}`;
      if (!counted.has(key) && counted.size >= MAX_COUNTED) {
        host = '(others)';
        key = `${entry.status} ${host}`;
      }
      const group = counted.get(key);
      if (group) group.count++;
      else counted.set(key, { status: entry.status, host, count: 1 });
    },
  };
}
