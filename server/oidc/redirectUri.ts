/**
 * Redirect URI matching: exact string comparison, except that a registered loopback IP URI
 * (`http://127.0.0.1/cb`, `http://[::1]/cb`) matches on any port, because a native app picks a
 * free port when it starts (RFC 8252 §7.3). `localhost` gets no such leniency (§8.3).
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

/** Whether `presented` is one of the `registered` redirect URIs. */
export function isRegisteredRedirectUri(registered: readonly string[], presented: string): boolean {
  if (registered.includes(presented)) return true;
  const withoutPort = loopbackWithoutPort(presented);
  return withoutPort !== null && registered.some((uri) => loopbackWithoutPort(uri) === withoutPort);
}

/** A loopback http URI with its port removed, or null for any other URI. */
function loopbackWithoutPort(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return null;
  // Compare the rest as written: only the port may differ.
  return uri.replace(/^http:\/\/(127\.0\.0\.1|\[::1\])(:\d+)?/i, 'http://$1');
}

/** The origins of redirect URIs: the only origins allowed to call the token and userinfo endpoints from a browser. */
export function redirectOrigins(uris: readonly string[]): Set<string> {
  const origins = new Set<string>();
  for (const uri of uris) {
    try {
      origins.add(new URL(uri).origin);
    } catch {
      // An unparsable URI has no origin to allow.
    }
  }
  return origins;
}
