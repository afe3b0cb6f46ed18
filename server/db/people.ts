/** Queries on users. */
import { sql, type Kysely, type Updateable } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Database, User, UserTable } from './schema.js';
import { pageOffset, type PageRequest } from './pagination.js';
import { SEARCH_FOLD_SQL, foldForSearch } from './searchFold.js';

type Db = Kysely<Database>;

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What apps read about a person besides their name: `undefined` leaves a field as it is, `null` clears it. */
export interface PersonFields {
  email?: string | null;
  /** Only an admin sets this; see {@link updatePersonFields}. */
  emailVerified?: boolean;
  username?: string | null;
}

/** @throws a UNIQUE violation (`users_email_unique`, `users_username_unique`) when the email or username is taken. */
export async function insertUser(db: Db, values: { displayName: string; orgId: string; roleId: string } & PersonFields, now: number): Promise<User> {
  const user: User = {
    id: uuidv7(),
    display_name: values.displayName,
    org_id: values.orgId,
    role_id: values.roleId,
    created_at: now,
    last_seen_at: null,
    email: values.email ?? null,
    email_verified: values.email && values.emailVerified ? 1 : 0,
    username: values.username ?? null,
  };
  await db.insertInto('users').values(user).execute();
  return user;
}

/**
 * Changes the given fields. A cleared email is never verified.
 * @throws a UNIQUE violation (`users_email_unique`, `users_username_unique`) when the email or username is taken.
 */
export async function updatePersonFields(db: Db, id: string, fields: PersonFields): Promise<void> {
  const changes: Updateable<UserTable> = {};
  if (fields.email !== undefined) changes.email = fields.email;
  if (fields.emailVerified !== undefined) changes.email_verified = fields.emailVerified ? 1 : 0;
  if (fields.email === null) changes.email_verified = 0;
  if (fields.username !== undefined) changes.username = fields.username;
  if (Object.keys(changes).length > 0) await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

export async function findUser(db: Db, id: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Users holding `scope` through their role, with no passkey yet (e.g. the first admin before bootstrap). */
export async function findUsersWithoutCredentialsHolding(db: Db, scope: string): Promise<User[]> {
  return db
    .selectFrom('users')
    .innerJoin('role_permissions', 'role_permissions.role_id', 'users.role_id')
    .innerJoin('permissions', 'permissions.id', 'role_permissions.permission_id')
    .where('permissions.scope', '=', scope)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('credentials').select('credentials.id').whereRef('credentials.user_id', '=', 'users.id'))))
    .selectAll('users')
    .execute();
}

/** The organisation and role a user belongs to, as shown to them. */
export async function findOrgAndRole(
  db: Db,
  user: User,
): Promise<{ org: { id: string; displayName: string }; role: { id: string; displayName: string } }> {
  const row = await db
    .selectFrom('orgs')
    .innerJoin('roles', 'roles.org_id', 'orgs.id')
    .where('orgs.id', '=', user.org_id)
    .where('roles.id', '=', user.role_id)
    .select(['orgs.display_name as orgName', 'roles.display_name as roleName'])
    .executeTakeFirstOrThrow();
  return { org: { id: user.org_id, displayName: row.orgName }, role: { id: user.role_id, displayName: row.roleName } };
}

export async function updateUserDisplayName(db: Db, id: string, displayName: string): Promise<void> {
  await db.updateTable('users').set({ display_name: displayName }).where('id', '=', id).execute();
}

export type UserRow = User & { org_name: string; role_name: string; passkey_count: number };

/**
 * Users with their org, role and passkey count, by name; filtered by organisation and by a search
 * for any part of the name, email or username, ignoring case and accents (see searchFold.ts).
 * A search for a part cannot use an index: it scans the organisation's users (or all of them),
 * one small row per person, which stays fast for the thousands of people this service is for.
 */
export async function listUsers(
  db: Db,
  page: PageRequest,
  filter: { orgId?: string; search?: string },
): Promise<{ items: UserRow[]; total: number }> {
  let query = db.selectFrom('users').innerJoin('orgs', 'orgs.id', 'users.org_id').innerJoin('roles', 'roles.id', 'users.role_id');
  if (filter.orgId) query = query.where('users.org_id', '=', filter.orgId);
  if (filter.search) {
    const pattern = `%${foldForSearch(filter.search).replace(/[\\%_]/g, '\\$&')}%`;
    const matches = (column: string) => sql<boolean>`${sql.raw(SEARCH_FOLD_SQL)}(${sql.ref(column)}) like ${pattern} escape '\\'`;
    // Usernames are stored lower-case ASCII already.
    query = query.where((eb) =>
      eb.or([matches('users.display_name'), matches('users.email'), sql<boolean>`users.username like ${pattern} escape '\\'`]),
    );
  }
  const { limit, offset } = pageOffset(page);
  const [items, count] = await Promise.all([
    query
      .selectAll('users')
      .select(['orgs.display_name as org_name', 'roles.display_name as role_name'])
      .select((eb) => eb.selectFrom('credentials').whereRef('credentials.user_id', '=', 'users.id').select(eb.fn.countAll<number>().as('n')).as('passkey_count'))
      // By id among equal names, so that pages neither repeat nor skip anyone.
      .orderBy('users.display_name')
      .orderBy('users.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items.map((user) => ({ ...user, passkey_count: Number(user.passkey_count) })), total: Number(count.n) };
}

export async function findUserRow(db: Db, id: string): Promise<UserRow | undefined> {
  const row = await db
    .selectFrom('users')
    .innerJoin('orgs', 'orgs.id', 'users.org_id')
    .innerJoin('roles', 'roles.id', 'users.role_id')
    .selectAll('users')
    .select(['orgs.display_name as org_name', 'roles.display_name as role_name'])
    .select((eb) => eb.selectFrom('credentials').whereRef('credentials.user_id', '=', 'users.id').select(eb.fn.countAll<number>().as('n')).as('passkey_count'))
    .where('users.id', '=', id)
    .executeTakeFirst();
  return row && { ...row, passkey_count: Number(row.passkey_count) };
}

export async function updateUserRole(db: Db, id: string, roleId: string): Promise<void> {
  await db.updateTable('users').set({ role_id: roleId }).where('id', '=', id).execute();
}

export async function deleteUser(db: Db, id: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

/** Master admins who can still sign in: role holds the scope, the org may grant it, and they have a passkey. */
export async function countUsableHoldersOf(db: Db, scope: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .innerJoin('role_permissions', 'role_permissions.role_id', 'users.role_id')
    .innerJoin('permissions', 'permissions.id', 'role_permissions.permission_id')
    .innerJoin('org_permissions', (join) =>
      join.onRef('org_permissions.org_id', '=', 'users.org_id').onRef('org_permissions.permission_id', '=', 'permissions.id'),
    )
    .where('permissions.scope', '=', scope)
    .where('permissions.domain', 'is', null)
    .where(({ exists, selectFrom }) => exists(selectFrom('credentials').select('credentials.id').whereRef('credentials.user_id', '=', 'users.id')))
    .select((eb) => eb.fn.count<number>('users.id').distinct().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks a user as seen (sign-in, session renewal). */
export async function recordUserSeen(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('users').set({ last_seen_at: now }).where('id', '=', id).execute();
}
