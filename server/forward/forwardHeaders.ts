/**
 * The request headers forward auth reads, picked from `rawHeaders` in one pass.
 * Reading `req.headers` instead makes node:http build an object of every header
 * the proxy sent (lower-casing each name), on every proxied request.
 *
 * Repeated headers combine as node:http would combine them: cookies joined with
 * "; ", `Accept` values all considered, the first value kept for the others.
 */
export interface ForwardHeaders {
  /** The first `X-Forwarded-Host` entry, else `Host`; as sent (case and port kept). */
  host: string;
  cookie: string | undefined;
  /** Whether `Accept` names text/html: a browser, which gets a page rather than JSON. */
  wantsHtml: boolean;
  /** `X-Forwarded-Method` (Caddy, Traefik) or `X-Original-Method` (nginx), for the log. */
  method: string | undefined;
  /** `X-Forwarded-Uri` (Caddy, Traefik) or `X-Original-URI` (nginx), for the log. */
  uri: string | undefined;
}

/** Case-insensitive name test that allocates only for names of the right length in unusual case. */
function named(name: string, lower: string): boolean {
  return name.length === lower.length && (name === lower || name.toLowerCase() === lower);
}

export function readForwardHeaders(raw: readonly string[]): ForwardHeaders {
  let host: string | undefined;
  let forwardedHost: string | undefined;
  let cookie: string | undefined;
  let wantsHtml = false;
  let method: string | undefined;
  let uri: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    if (named(name, 'cookie')) cookie = cookie === undefined ? value : `${cookie}; ${value}`;
    else if (named(name, 'host')) host ??= value;
    else if (named(name, 'accept')) wantsHtml ||= value.includes('text/html');
    else if (named(name, 'x-forwarded-host')) forwardedHost ??= value;
    else if (named(name, 'x-forwarded-method') || named(name, 'x-original-method')) method ??= value;
    else if (named(name, 'x-forwarded-uri') || named(name, 'x-original-uri')) uri ??= value;
  }
  if (forwardedHost !== undefined) {
    const comma = forwardedHost.indexOf(',');
    host = (comma === -1 ? forwardedHost : forwardedHost.slice(0, comma)).trim();
  }
  return { host: host ?? '', cookie, wantsHtml, method, uri };
}
