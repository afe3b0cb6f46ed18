/**
 * The apps a person can open from their account page. The server knows no list of apps behind the
 * proxy, so it names the hosts it has reason to: those the person's permissions count on, and those
 * they hold a session on. Links are built from those host names (admin-entered, or bound to an
 * allowed origin at sign-in), each checked again, and from the configured origins: never from a
 * request's headers. OpenID Connect clients are listed apart (connectedApps.ts).
 */
import type { AppInfo, HeldPermission } from '../../shared/api.js';
import { isHostName } from '../../shared/host.js';
import type { OriginRule } from '../config.js';

export interface PersonAppsInput {
  permissions: readonly HeldPermission[];
  /** Hosts of the person's live sessions. */
  sessionHosts: readonly string[];
  /** The dedicated auth host (the account page itself, not an app), or null. */
  authHost: string | null;
  origins: readonly OriginRule[];
}

/** The person's apps, by host name: one per host their permissions or sessions name. */
export function personApps({ permissions, sessionHosts, authHost, origins }: PersonAppsInput): AppInfo[] {
  const hosts = new Set([...permissions.flatMap((permission) => (permission.domain === null ? [] : [permission.domain])), ...sessionHosts]);
  return [...hosts]
    .filter((host) => host !== authHost && isHostName(host))
    .sort()
    .map((host) => ({
      kind: 'proxied',
      host,
      url: appUrl(host, origins),
      permissions: permissions.filter((permission) => permission.domain === host).map((permission) => permission.scope),
      signedIn: sessionHosts.includes(host),
    }));
}

/**
 * Where `host`'s app opens: with the scheme and port of the allowed origin naming it (exactly,
 * else by wildcard), so that `--origin http://app.localhost:8080` links there; else `https://<host>/`.
 * @param host a checked host name ({@link isHostName})
 */
export function appUrl(host: string, origins: readonly OriginRule[]): string {
  const rule =
    origins.find((origin) => !origin.wildcard && origin.host === host) ?? origins.find((origin) => origin.wildcard && host.endsWith(`.${origin.host}`));
  if (!rule) return `https://${host}/`;
  return `${rule.scheme}://${host}${rule.port === null ? '' : `:${rule.port}`}/`;
}
