/** Effective permissions: role permissions ∩ what the user's organisation may grant ∩ domain match. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Permission scopes a user holds on `host` (a permission with a domain counts only on that host). */
export async function effectiveScopes(db: Kysely<Database>, userId: string, host: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .innerJoin('role_permissions', 'role_permissions.role_id', 'users.role_id')
    .innerJoin('org_permissions', (join) =>
      join.onRef('org_permissions.org_id', '=', 'users.org_id').onRef('org_permissions.permission_id', '=', 'role_permissions.permission_id'),
    )
    .innerJoin('permissions', 'permissions.id', 'role_permissions.permission_id')
    .where('users.id', '=', userId)
    .where((eb) => eb.or([eb('permissions.domain', 'is', null), eb('permissions.domain', '=', host)]))
    .select('permissions.scope')
    .orderBy('permissions.scope')
    .execute();
  return rows.map((row) => row.scope);
}
