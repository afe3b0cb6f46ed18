/**
 * Who may administer what. `auth:admin` (master) sees and changes everything;
 * `auth:org:admin` sees and changes only their own organisation, may not grant
 * what it may not grant, and never touches master rights. Everything else: 403.
 */
import type { Transaction } from 'kysely';
import type { Context, MiddlewareHandler } from 'hono';
import type { Services, SessionEnv } from '../../services.js';
import type { Database } from '../../db/schema.js';
import type { SessionEnder } from '../../sessions/sessions.js';
import { ApiError } from '../../http/apiError.js';
import { findOrgAndRole, findUser, countUsableHoldersOf } from '../../db/people.js';
import { recordAudit, type AuditEvent } from '../../db/audit.js';
import { findOrg } from '../../db/orgs.js';
import { MASTER_ADMIN_SCOPE, ORG_ADMIN_SCOPE } from '../../../shared/permissionScopes.js';
import type { AdminOp } from '../../../shared/audit.js';

export interface AdminActor {
  userId: string;
  displayName: string;
  org: { id: string; displayName: string };
  level: 'master' | 'org';
}

/** Admin routes: the signed-in session and the administrator it belongs to. */
export type AdminEnv = SessionEnv & { Variables: { actor: AdminActor } };
export type AdminContext = Context<AdminEnv>;

/**
 * Sets `c.var.actor` to the administrator behind the session; runs after `requireSession`.
 * @throws {ApiError} 401 when the user is gone, 403 without admin rights.
 * @example new Hono<AdminEnv>().use(requireSession(services), requireAdmin(services))
 */
export const requireAdmin = (services: Services): MiddlewareHandler<AdminEnv> =>
  async function requireAdminMiddleware(c, next) {
    const { session } = c.var;
    const user = await findUser(services.database.db, session.user_id);
    if (!user) throw new ApiError(401, 'Not signed in');
    const scopes = await services.identityQueries.effectiveScopes(user.org_id, user.role_id, session.host);
    const level = scopes.includes(MASTER_ADMIN_SCOPE) ? 'master' : scopes.includes(ORG_ADMIN_SCOPE) ? 'org' : null;
    if (!level) throw new ApiError(403, 'Administrator rights required');
    const { org } = await findOrgAndRole(services.database.db, user);
    c.set('actor', { userId: user.id, displayName: user.display_name, org, level });
    await next();
  };

/**
 * Lets only master admins through; runs after {@link requireAdmin}.
 * @throws {ApiError} 403 for an org admin.
 */
export const requireMaster = (): MiddlewareHandler<AdminEnv> =>
  async function requireMasterMiddleware(c, next) {
    if (c.var.actor.level !== 'master') throw new ApiError(403, 'Only a master administrator may do this');
    await next();
  };

/** An org admin sees only their own organisation: anything else is as if it did not exist. @throws {ApiError} 404 */
export function requireOrgAccess(actor: AdminActor, orgId: string, what = 'organisation'): void {
  if (actor.level !== 'master' && actor.org.id !== orgId) throw new ApiError(404, `No such ${what}`);
}

/** Master rights (`auth:admin`) are handed out and taken away only by master admins. @throws {ApiError} 403 */
export function requireMasterForScope(actor: AdminActor, scope: string): void {
  if (scope === MASTER_ADMIN_SCOPE && actor.level !== 'master') throw new ApiError(403, `Only a master administrator may grant or revoke ${MASTER_ADMIN_SCOPE}`);
}

export type AdminChange = Omit<AuditEvent, 'action' | 'actorUserId' | 'ip'> & { op: AdminOp };

/**
 * Applies an admin change in one transaction that also records it in the audit log and
 * refuses (409) any change that would leave no master admin able to sign in. Sessions it
 * ends go through the session service's `end`. Identities cached for forward auth are
 * dropped, so the change holds from the next request on.
 *
 * A creation passes `change` as a function of what `apply` made, so its entry names the new
 * thing. The entry keeps the organisation's name as it was (`orgName`), so the log still reads
 * after a rename or deletion.
 */
export async function applyAdminChange<T>(
  c: AdminContext,
  services: Services,
  changeOrOfResult: AdminChange | ((result: NoInfer<T>) => AdminChange),
  apply: (trx: Transaction<Database>, end: SessionEnder) => Promise<T>,
): Promise<T> {
  const { actor } = c.var;
  const now = services.now();
  const result = await services.sessions.transaction(async (trx, end) => {
    const mastersBefore = await countUsableHoldersOf(trx, MASTER_ADMIN_SCOPE);
    const value = await apply(trx, end);
    if (mastersBefore > 0 && (await countUsableHoldersOf(trx, MASTER_ADMIN_SCOPE)) === 0) {
      throw new ApiError(409, 'Refused: this would leave no master administrator who can sign in');
    }
    const change = typeof changeOrOfResult === 'function' ? changeOrOfResult(value) : changeOrOfResult;
    const org = change.orgId ? await findOrg(trx, change.orgId) : undefined;
    const detail = { op: change.op, ...change.detail, ...(org ? { orgName: org.display_name } : {}) };
    await recordAudit(trx, { action: 'admin_change', actorUserId: actor.userId, orgId: change.orgId ?? null, target: change.target ?? null, ip: services.clientIp(c), detail }, now);
    return value;
  });
  services.identities.clear();
  return result;
}
