/**
 * The request headers forward auth reads, picked from `rawHeaders` in one pass.
 * Reading `req.headers` instead makes node:http build an object of every header
 * the proxy sent (lower-casing each name), on every proxied request.
 *
 * Forwarded headers (`X-Forwarded-Host`, `-Method`, `-Uri`, `-For`, nginx's
 * `X-Original-*`) count only when the peer is a trusted proxy, and then the value
 * that proxy wrote: the right-most `X-Forwarded-Host` entry (proxies append theirs
 * to whatever the client sent) and the last header line of the others. Otherwise
 * `Host` names the host, and the log gets no method or URI.
 *
 * Repeated `Cookie` headers are joined with "; " and every `Accept` value counts, as
 * node:http would combine them; the first `Host` is kept.
 */
export interface ForwardHeaders {
  /** The host the visitor asked for, as sent (case and port kept): see above. */
  host: string;
  cookie: string | undefined;
  /** `Authorization` (the first line): a Bearer token, looked at only when there is no session cookie. */
  authorization: string | undefined;
  /** Whether `Accept` names text/html: a browser, which gets a page rather than JSON. */
  wantsHtml: boolean;
  /** `X-Forwarded-Method` (Caddy, Traefik) or `X-Original-Method` (nginx), from a trusted proxy; for the log. */
  method: string | undefined;
  /** `X-Forwarded-Uri` (Caddy, Traefik) or `X-Original-URI` (nginx), from a trusted proxy; for the log. */
  uri: string | undefined;
  /** `X-Forwarded-For` as sent (every line, joined), for the log's client address; its resolver decides whom to believe. */
  forwardedFor: string | undefined;
  /** `X-Request-Id` from a trusted proxy (its last line), to name the decision in logs as the proxy does. */
  requestId: string | undefined;
}

/** Case-insensitive name test that allocates only for names of the right length in unusual case. */
function named(name: string, lower: string): boolean {
  return name.length === lower.length && (name === lower || name.toLowerCase() === lower);
}

/**
 * @param raw the request's `rawHeaders`
 * @param fromTrustedProxy whether the socket peer is a `--trusted-proxy`
 */
export function readForwardHeaders(raw: readonly string[], fromTrustedProxy: boolean): ForwardHeaders {
  let host: string | undefined;
  let forwardedHost: string | undefined;
  let cookie: string | undefined;
  let authorization: string | undefined;
  let wantsHtml = false;
  let method: string | undefined;
  let uri: string | undefined;
  let forwardedFor: string | undefined;
  let requestId: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    if (named(name, 'cookie')) cookie = cookie === undefined ? value : `${cookie}; ${value}`;
    else if (named(name, 'host')) host ??= value;
    else if (named(name, 'authorization')) authorization ??= value;
    else if (named(name, 'accept')) wantsHtml ||= value.includes('text/html');
    else if (named(name, 'x-forwarded-for')) forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
    else if (!fromTrustedProxy) continue;
    else if (named(name, 'x-forwarded-host')) forwardedHost = value;
    else if (named(name, 'x-forwarded-method') || named(name, 'x-original-method')) method = value;
    else if (named(name, 'x-forwarded-uri') || named(name, 'x-original-uri')) uri = value;
    else if (named(name, 'x-request-id')) requestId = value;
  }
  if (forwardedHost !== undefined) host = forwardedHost.slice(forwardedHost.lastIndexOf(',') + 1).trim();
  return { host: host ?? '', cookie, authorization, wantsHtml, method, uri, forwardedFor, requestId };
}
