/**
 * First start: on an empty database, create the master organisation (with its default "Member"
 * role), an Administrator role holding `auth:admin`, and an admin user with no passkey.
 * While no admin has a passkey, every start issues a fresh one-time link; instances starting
 * together on one PostgreSQL database take turns, and only the first of them issues one.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { countUsers, findUsersWithoutCredentialsHolding, insertUser } from '../db/people.js';
import { addPermissionToRole, insertOrg, insertRole } from '../db/orgs.js';
import { findPermissionByScope, grantPermissionToOrg, insertPermission } from '../db/permissions.js';
import { deleteResetTokensOfUser, insertResetToken, listLiveResetTokensOfUser } from '../db/resetTokens.js';
import { isPostgres, lockForTransaction } from '../db/postgres.js';
import { hashResetToken, randomResetToken } from '../crypto/tokens.js';
import { MASTER_ADMIN_SCOPE, ORG_ADMIN_SCOPE } from '../../shared/permissionScopes.js';

/** How long a bootstrap link stays usable; restarting the service prints a new one. */
export const BOOTSTRAP_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;
/**
 * On PostgreSQL, a start this soon after another instance's link leaves that link in place:
 * instances starting together print one link between them, not one each of which only the
 * last would work.
 */
export const BOOTSTRAP_LINK_SHARED_MS = 15_000;

export interface BootstrapResult {
  /** The token to print, when an admin still has to register a passkey. */
  token: string | null;
  /** True when this call created the first organisation and admin. */
  created: boolean;
  /** True when another instance issued the link moments ago (PostgreSQL): its log has it. */
  linkIssuedElsewhere: boolean;
}

/** Ensures there is an admin able to sign in; returns the one-time token to print when there is not. */
export async function bootstrap(db: Kysely<Database>, now: number): Promise<BootstrapResult> {
  return db.transaction().execute(async (trx) => {
    await lockForTransaction(trx, 'passkey-auth bootstrap');
    const created = (await countUsers(trx)) === 0;
    if (created) {
      const { org } = await insertOrg(trx, 'Main organisation', now);
      const admin = await insertPermission(trx, { scope: MASTER_ADMIN_SCOPE, displayName: 'Master administrator', domain: null }, now);
      const orgAdmin = await insertPermission(trx, { scope: ORG_ADMIN_SCOPE, displayName: 'Organisation administrator', domain: null }, now);
      for (const permission of [admin, orgAdmin]) await grantPermissionToOrg(trx, org.id, permission.id);
      const role = await insertRole(trx, org.id, 'Administrator', now);
      await addPermissionToRole(trx, role.id, admin.id);
      await insertUser(trx, { displayName: 'Admin', orgId: org.id, roleId: role.id }, now);
    }
    const masterAdmin = await findPermissionByScope(trx, MASTER_ADMIN_SCOPE);
    if (!masterAdmin) return { token: null, created, linkIssuedElsewhere: false };
    const [waiting] = await findUsersWithoutCredentialsHolding(trx, MASTER_ADMIN_SCOPE);
    if (!waiting) return { token: null, created, linkIssuedElsewhere: false };
    if (isPostgres(trx)) {
      const links = await listLiveResetTokensOfUser(trx, waiting.id, now, ['bootstrap']);
      if (links.some((link) => link.created_at > now - BOOTSTRAP_LINK_SHARED_MS)) return { token: null, created, linkIssuedElsewhere: true };
    }
    // Only hashes are stored, so a token printed at an earlier start cannot be shown again: replace it.
    await deleteResetTokensOfUser(trx, waiting.id, 'bootstrap');
    const token = randomResetToken();
    await insertResetToken(trx, { tokenHash: hashResetToken(token), userId: waiting.id, kind: 'bootstrap', expiresAt: now + BOOTSTRAP_TOKEN_LIFETIME_MS }, now);
    return { token, created, linkIssuedElsewhere: false };
  });
}
