/**
 * A person as one client sees them: their record, and their effective permission scopes on the
 * client's host (the same list forward auth sends as `Remote-Groups`). The client's host is the
 * host of its first registered redirect URI: that is where the app runs. Whether the person may
 * use the client (`requiredPerm`, in forward auth's `perm` syntax) is decided by forward auth's
 * own parser and rule.
 */
import type { Services } from '../services.js';
import type { User } from '../db/schema.js';
import type { OidcClient } from '../db/oidcClients.js';
import { findUser } from '../db/people.js';
import { parsePermValue, satisfies } from '../forward/permQuery.js';
import type { ClaimSource } from './claims.js';

export interface AppPerson extends ClaimSource {
  user: User;
  /** Whether they hold the client's required permission (true when it needs none). */
  mayUse: boolean;
}

/** The host of the client's first redirect URI, lower case, without port. */
export function clientHost(client: Pick<OidcClient, 'redirectUris'>): string {
  const first = client.redirectUris[0];
  return first === undefined ? '' : new URL(first).hostname.toLowerCase();
}

/** Whether `scopes` satisfy a `perm` expression; an expression that does not parse is satisfied by no one. */
export function holdsPerm(perm: string | null, scopes: readonly string[]): boolean {
  if (perm === null) return true;
  const groups = parsePermValue(perm);
  return typeof groups !== 'string' && satisfies({ groups, maxAgeMs: null }, scopes);
}

/** The person `userId` as `client` sees them, or null when they no longer exist. */
export async function appPerson(services: Services, userId: string, client: OidcClient): Promise<AppPerson | null> {
  const user = await findUser(services.database.db, userId);
  if (!user) return null;
  const groups = await services.identityQueries.effectiveScopes(user.org_id, user.role_id, clientHost(client));
  return { user, groups, mayUse: holdsPerm(client.requiredPerm, groups) };
}
