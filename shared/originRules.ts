/**
 * Allowed origins as `--origin` writes them (`http://localhost:4401`, `https://*.example.com`),
 * the form in which pages learn them (shared/pageMeta.ts). The server checks the real thing
 * (server/webauthn/origins.ts); a page uses this to say what is wrong before trying.
 */

const WILDCARD_RULE = /^(https?:\/\/)\*\.(.+)$/;

/**
 * Whether a page's `location.origin` is allowed by one rule: equal to an exact rule, or, for
 * `scheme://*.domain[:port]`, that scheme and port on a subdomain of `domain`.
 * @example originMatchesRule('https://app.example.com', 'https://*.example.com') // true
 */
export function originMatchesRule(origin: string, rule: string): boolean {
  const wildcard = WILDCARD_RULE.exec(rule);
  if (!wildcard) return origin === rule;
  const [, scheme, parent] = wildcard as unknown as [string, string, string];
  return origin.startsWith(scheme) && origin.endsWith(`.${parent}`) && origin.length > scheme.length + parent.length + 1;
}

/** Whether `host` (no port) may use passkeys of the RP ID: the RP ID itself or a subdomain of it. */
export function isHostUnderRpId(host: string, rpId: string): boolean {
  return host === rpId || host.endsWith(`.${rpId}`);
}
