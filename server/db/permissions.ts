/** Queries on the permission catalogue and on which organisations may grant what. */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Database, Permission } from './schema.js';
import { pageOffset, type PageRequest } from './pagination.js';

type Db = Kysely<Database>;

export async function listPermissions(db: Db, page: PageRequest, orgId: string | null): Promise<{ items: Permission[]; total: number }> {
  let query = db.selectFrom('permissions');
  if (orgId !== null) query = query.innerJoin('org_permissions', 'org_permissions.permission_id', 'permissions.id').where('org_permissions.org_id', '=', orgId);
  const { limit, offset } = pageOffset(page);
  const [items, count] = await Promise.all([
    query.selectAll('permissions').orderBy('permissions.scope').limit(limit).offset(offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export async function insertPermission(
  db: Db,
  values: { scope: string; displayName: string; domain: string | null },
  now: number,
): Promise<Permission> {
  const permission = { id: uuidv7(), scope: values.scope, display_name: values.displayName, domain: values.domain, created_at: now };
  await db.insertInto('permissions').values(permission).execute();
  return permission;
}

/** What a role's holders have: its permissions that its organisation may grant, on whichever host each counts. */
export async function listHeldPermissions(db: Db, orgId: string, roleId: string): Promise<Permission[]> {
  return db
    .selectFrom('permissions')
    .innerJoin('role_permissions', 'role_permissions.permission_id', 'permissions.id')
    .innerJoin('org_permissions', 'org_permissions.permission_id', 'permissions.id')
    .where('role_permissions.role_id', '=', roleId)
    .where('org_permissions.org_id', '=', orgId)
    .selectAll('permissions')
    .orderBy('permissions.scope')
    .execute();
}

export async function findPermissionByScope(db: Db, scope: string): Promise<Permission | undefined> {
  return db.selectFrom('permissions').selectAll().where('scope', '=', scope).executeTakeFirst();
}

/** Another permission (not `exceptId`) whose scope equals `scope` but for case; scopes are ASCII, so SQL's lower() suffices. */
export async function findScopeIgnoringCase(db: Db, scope: string, exceptId: string | null): Promise<Permission | undefined> {
  let query = db.selectFrom('permissions').selectAll().where((eb) => eb(eb.fn('lower', ['scope']), '=', scope.toLowerCase()));
  if (exceptId !== null) query = query.where('id', '!=', exceptId);
  return query.executeTakeFirst();
}

export async function findPermission(db: Db, id: string): Promise<Permission | undefined> {
  return db.selectFrom('permissions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updatePermission(db: Db, id: string, values: Partial<Pick<Permission, 'scope' | 'display_name' | 'domain'>>): Promise<void> {
  const defined = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
  if (Object.keys(defined).length > 0) await db.updateTable('permissions').set(defined).where('id', '=', id).execute();
}

export async function deletePermission(db: Db, id: string): Promise<void> {
  await db.deleteFrom('permissions').where('id', '=', id).execute();
}

export async function grantPermissionToOrg(db: Db, orgId: string, permissionId: string): Promise<void> {
  await db.insertInto('org_permissions').values({ org_id: orgId, permission_id: permissionId }).onConflict((oc) => oc.doNothing()).execute();
}

export async function listGrantable(db: Db, orgId: string): Promise<Permission[]> {
  return db
    .selectFrom('permissions')
    .innerJoin('org_permissions', 'org_permissions.permission_id', 'permissions.id')
    .where('org_permissions.org_id', '=', orgId)
    .selectAll('permissions')
    .orderBy('permissions.scope')
    .execute();
}

export async function isGrantable(db: Db, orgId: string, permissionId: string): Promise<boolean> {
  const row = await db.selectFrom('org_permissions').select('org_id').where('org_id', '=', orgId).where('permission_id', '=', permissionId).executeTakeFirst();
  return row !== undefined;
}

/** Revokes a grant from an organisation, and the permission from that organisation's roles. */
export async function revokeFromOrg(db: Db, orgId: string, permissionId: string): Promise<void> {
  await db.deleteFrom('org_permissions').where('org_id', '=', orgId).where('permission_id', '=', permissionId).execute();
  await db
    .deleteFrom('role_permissions')
    .where('permission_id', '=', permissionId)
    .where('role_id', 'in', (eb) => eb.selectFrom('roles').select('id').where('org_id', '=', orgId))
    .execute();
}
