/** Whether a ceremony may run for a page at `origin`, by the configured origin rules. */
import type { OriginRule } from '../config.js';

export interface ParsedOrigin {
  /** The origin as the browser sent it, e.g. `https://app.example.com`. */
  origin: string;
  /** Lower-case host name without port: the host a session from this ceremony belongs to. */
  host: string;
}

/** Parses an `Origin` header and checks it against the rules; null when refused. */
export function allowedOrigin(originHeader: string | undefined, rules: readonly OriginRule[]): ParsedOrigin | null {
  if (!originHeader || originHeader === 'null') return null;
  let url: URL;
  try {
    url = new URL(originHeader);
  } catch {
    return null;
  }
  if (url.origin !== originHeader) return null;
  const scheme = url.protocol.slice(0, -1);
  const host = url.hostname.toLowerCase();
  const port = url.port === '' ? null : Number(url.port);
  const allowed = rules.some(
    (rule) => rule.scheme === scheme && rule.port === port && (rule.wildcard ? host.endsWith(`.${rule.host}`) : host === rule.host),
  );
  return allowed ? { origin: originHeader, host } : null;
}
