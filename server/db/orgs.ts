/** Queries on organisations and their roles. */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Database, Org, Role } from './schema.js';
import { pageOffset, type PageRequest } from './pagination.js';

type Db = Kysely<Database>;

/** The role every new organisation starts with, as its default. */
export const DEFAULT_ROLE_NAME = 'Member';

/**
 * A new organisation with a role named {@link DEFAULT_ROLE_NAME} as its default, so that users can
 * be created in it at once. Run it in a transaction: the three writes belong together.
 */
export async function insertOrg(db: Db, displayName: string, now: number): Promise<{ org: Org; defaultRole: Role }> {
  const id = uuidv7();
  await db.insertInto('orgs').values({ id, display_name: displayName, created_at: now }).execute();
  const defaultRole = await insertRole(db, id, DEFAULT_ROLE_NAME, now);
  await setDefaultRole(db, id, defaultRole.id);
  return { org: { id, display_name: displayName, created_at: now, default_role_id: defaultRole.id }, defaultRole };
}

/** Makes `roleId` (a role of the organisation) the one new users get when none is chosen. */
export async function setDefaultRole(db: Db, orgId: string, roleId: string): Promise<void> {
  await db.updateTable('orgs').set({ default_role_id: roleId }).where('id', '=', orgId).execute();
}

export type OrgWithCount = Org & { user_count: number };

export async function listOrgs(db: Db, page: PageRequest, onlyOrgId: string | null): Promise<{ items: OrgWithCount[]; total: number }> {
  let query = db.selectFrom('orgs');
  if (onlyOrgId !== null) query = query.where('orgs.id', '=', onlyOrgId);
  const { limit, offset } = pageOffset(page);
  const [items, count] = await Promise.all([
    query
      .selectAll('orgs')
      .select((eb) => eb.selectFrom('users').whereRef('users.org_id', '=', 'orgs.id').select(eb.fn.countAll<number>().as('n')).as('user_count'))
      .orderBy('orgs.display_name')
      .limit(limit)
      .offset(offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items.map((org) => ({ ...org, user_count: Number(org.user_count) })), total: Number(count.n) };
}

export async function findOrg(db: Db, id: string): Promise<OrgWithCount | undefined> {
  const org = await db
    .selectFrom('orgs')
    .selectAll('orgs')
    .select((eb) => eb.selectFrom('users').whereRef('users.org_id', '=', 'orgs.id').select(eb.fn.countAll<number>().as('n')).as('user_count'))
    .where('id', '=', id)
    .executeTakeFirst();
  return org && { ...org, user_count: Number(org.user_count) };
}

export async function renameOrg(db: Db, id: string, displayName: string): Promise<void> {
  await db.updateTable('orgs').set({ display_name: displayName }).where('id', '=', id).execute();
}

export async function deleteOrg(db: Db, id: string): Promise<void> {
  await db.deleteFrom('orgs').where('id', '=', id).execute();
}

export async function insertRole(db: Db, orgId: string, displayName: string, now: number): Promise<Role> {
  const role = { id: uuidv7(), org_id: orgId, display_name: displayName, created_at: now };
  await db.insertInto('roles').values(role).execute();
  return role;
}

export type RoleWithDetails = Role & { permission_ids: string[]; user_count: number };

export async function listRolesOfOrg(db: Db, orgId: string): Promise<RoleWithDetails[]> {
  const roles = await db
    .selectFrom('roles')
    .selectAll('roles')
    .select((eb) => eb.selectFrom('users').whereRef('users.role_id', '=', 'roles.id').select(eb.fn.countAll<number>().as('n')).as('user_count'))
    .where('org_id', '=', orgId)
    .orderBy('display_name')
    .execute();
  const grants = await db
    .selectFrom('role_permissions')
    .innerJoin('roles', 'roles.id', 'role_permissions.role_id')
    .where('roles.org_id', '=', orgId)
    .select(['role_permissions.role_id', 'role_permissions.permission_id'])
    .execute();
  return roles.map((role) => ({
    ...role,
    user_count: Number(role.user_count),
    permission_ids: grants.filter((grant) => grant.role_id === role.id).map((grant) => grant.permission_id),
  }));
}

export async function findRole(db: Db, id: string): Promise<Role | undefined> {
  return db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function renameRole(db: Db, id: string, displayName: string): Promise<void> {
  await db.updateTable('roles').set({ display_name: displayName }).where('id', '=', id).execute();
}

export async function deleteRole(db: Db, id: string): Promise<void> {
  await db.deleteFrom('roles').where('id', '=', id).execute();
}

export async function countUsersWithRole(db: Db, roleId: string): Promise<number> {
  const row = await db.selectFrom('users').where('role_id', '=', roleId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function addPermissionToRole(db: Db, roleId: string, permissionId: string): Promise<void> {
  await db.insertInto('role_permissions').values({ role_id: roleId, permission_id: permissionId }).onConflict((oc) => oc.doNothing()).execute();
}

export async function removePermissionFromRole(db: Db, roleId: string, permissionId: string): Promise<void> {
  await db.deleteFrom('role_permissions').where('role_id', '=', roleId).where('permission_id', '=', permissionId).execute();
}
