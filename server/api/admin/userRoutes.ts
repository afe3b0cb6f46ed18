/** `/auth/api/admin/users`: people, their role, passkeys, sessions and registration links. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { USER_SEARCH_MAX, type Page, type UserDetail, type UserLink, type UserSummary } from '../../../shared/admin.js';
import { ApiError } from '../../http/apiError.js';
import { validate } from '../../http/validate.js';
import { PAGE_QUERY } from '../../db/pagination.js';
import type { User } from '../../db/schema.js';
import { deleteUser, findUserRow, insertUser, listUsers, updatePersonFields, updateUserDisplayName, updateUserRole, type UserRow } from '../../db/people.js';
import { findOrg, findRole } from '../../db/orgs.js';
import { deleteCredential, findCredential, listCredentialsOfUser } from '../../db/credentials.js';
import { listLiveResetTokensOfUser, replaceResetToken, revokeResetToken } from '../../db/resetTokens.js';
import { hashResetToken, randomResetToken } from '../../crypto/tokens.js';
import { resetLink } from '../../links.js';
import { MASTER_ADMIN_SCOPE } from '../../../shared/permissionScopes.js';
import { ADMIN_LINK_LIFETIME_MS } from '../../../shared/resetToken.js';
import type { LinkInfo } from '../../../shared/api.js';
import { applyAdminChange, requireMasterForScope, requireOrgAccess, type AdminActor, type AdminEnv } from './adminAccess.js';
import { ID, NAME, uuidParams } from './adminInput.js';
import { userSummary } from './adminResponses.js';
import { credentialInfo, iso, linkInfo, sessionInfo } from '../responses.js';
import { APP_PARAM, connectedAppsOf, disconnectPersonApp } from '../connectedApps.js';
import { EMAIL, USERNAME, adminEmailChange, conflictOnTakenField } from '../personInput.js';

const LIST_QUERY = PAGE_QUERY.extend({ org: ID.optional(), q: z.string().max(USER_SEARCH_MAX).optional() });
const PERSON_FIELDS = { email: EMAIL.optional(), emailVerified: z.boolean().optional(), username: USERNAME.optional() };
const CREATE = z.object({ displayName: NAME, orgId: ID, roleId: ID.optional(), ...PERSON_FIELDS }).strict();
const PATCH = z.object({ displayName: NAME.optional(), roleId: ID.optional(), ...PERSON_FIELDS }).strict();
const ID_PARAM = uuidParams('id');
const CREDENTIAL_PARAMS = uuidParams('id', 'credentialId');
const SESSION_PARAMS = uuidParams('id', 'sessionId');
const LINK_PARAMS = uuidParams('id', 'linkId');

export function adminUserRoutes(services: Services): Hono<AdminEnv> {
  const { db } = services.database;
  const app = new Hono<AdminEnv>();
  const scopesOf = (user: { org_id: string; role_id: string }) => services.identityQueries.effectiveScopes(user.org_id, user.role_id, '');

  /** The user named in the path, if the actor may see it. */
  async function userFor(actor: AdminActor, id: string): Promise<UserRow> {
    const user = await findUserRow(db, id);
    if (!user) throw new ApiError(404, 'No such user');
    requireOrgAccess(actor, user.org_id, 'user');
    return user;
  }

  /** A role of `orgId` the actor may hand out. */
  async function assignableRole(actor: AdminActor, orgId: string, roleId: string): Promise<void> {
    const role = await findRole(db, roleId);
    if (!role || role.org_id !== orgId) throw new ApiError(400, 'The role does not belong to the user\'s organisation');
    if ((await scopesOf({ org_id: orgId, role_id: roleId })).includes(MASTER_ADMIN_SCOPE)) requireMasterForScope(actor, MASTER_ADMIN_SCOPE);
  }

  /** Org admins may not change master admins. */
  async function requireChangeable(actor: AdminActor, user: UserRow): Promise<void> {
    if ((await scopesOf(user)).includes(MASTER_ADMIN_SCOPE)) requireMasterForScope(actor, MASTER_ADMIN_SCOPE);
  }

  app.get('/', validate('query', LIST_QUERY), async (c) => {
    const { actor } = c.var;
    const query = c.req.valid('query');
    if (query.org) requireOrgAccess(actor, query.org);
    const orgId = actor.level === 'master' ? query.org : actor.org.id;
    const { items, total } = await listUsers(db, { page: query.page, perPage: query.per_page }, { orgId, search: query.q });
    const body: Page<UserSummary> = { items: items.map(userSummary), page: query.page, perPage: query.per_page, total };
    return c.json(body);
  });

  app.post('/', validate('json', CREATE), async (c) => {
    const { actor } = c.var;
    const input = c.req.valid('json');
    requireOrgAccess(actor, input.orgId);
    const org = await findOrg(db, input.orgId);
    if (!org) throw new ApiError(404, 'No such organisation');
    const roleId = input.roleId ?? org.default_role_id;
    if (!roleId) throw new ApiError(400, 'The organisation has no default role: choose a role');
    await assignableRole(actor, input.orgId, roleId);
    const values = { ...input, roleId, ...adminEmailChange(null, input) };
    const { orgId, roleId: _roleId, ...detail } = values;
    const user = await applyAdminChange<User>(c, services, (created) => ({ op: 'create_user', orgId, target: created.id, detail }), (trx) => insertUser(trx, values, services.now())).catch(
      conflictOnTakenField,
    );
    return c.json(userSummary((await findUserRow(db, user.id))!), 201);
  });

  app.get('/:id', validate('param', ID_PARAM), async (c) => {
    const { actor } = c.var;
    const user = await userFor(actor, c.req.valid('param').id);
    const [credentials, sessions, apps] = await Promise.all([listCredentialsOfUser(db, user.id), services.sessions.listOfUser(user.id, services.now()), connectedAppsOf(services, user.id)]);
    const body: UserDetail = {
      ...userSummary(user),
      credentials: credentials.map((credential) => credentialInfo(credential, null)),
      sessions: sessions.map((session) => sessionInfo(session, null)),
      permissions: await scopesOf(user),
      apps,
    };
    return c.json(body);
  });

  app.patch('/:id', validate('param', ID_PARAM), validate('json', PATCH), async (c) => {
    const { actor } = c.var;
    const user = await userFor(actor, c.req.valid('param').id);
    const input = c.req.valid('json');
    await requireChangeable(actor, user);
    if (input.roleId) await assignableRole(actor, user.org_id, input.roleId);
    const fields = { username: input.username, ...adminEmailChange(user, input) };
    await applyAdminChange(c, services, { op: 'update_user', orgId: user.org_id, target: user.id, detail: { ...input, ...fields } }, async (trx) => {
      if (input.displayName) await updateUserDisplayName(trx, user.id, input.displayName);
      if (input.roleId) await updateUserRole(trx, user.id, input.roleId);
      await updatePersonFields(trx, user.id, fields);
    }).catch(conflictOnTakenField);
    return c.json(userSummary((await findUserRow(db, user.id))!));
  });

  app.delete('/:id', validate('param', ID_PARAM), async (c) => {
    const { actor } = c.var;
    const user = await userFor(actor, c.req.valid('param').id);
    await requireChangeable(actor, user);
    await applyAdminChange(c, services, { op: 'delete_user', orgId: user.org_id, target: user.id, detail: { displayName: user.display_name } }, async (trx, end) => {
      await end.ofUser(user.id);
      await deleteUser(trx, user.id);
    });
    return c.body(null, 204);
  });

  app.delete('/:id/credentials/:credentialId', validate('param', CREDENTIAL_PARAMS), async (c) => {
    const { actor } = c.var;
    const { id, credentialId } = c.req.valid('param');
    const user = await userFor(actor, id);
    await requireChangeable(actor, user);
    if ((await findCredential(db, credentialId))?.user_id !== user.id) throw new ApiError(404, 'No such passkey');
    await applyAdminChange(c, services, { op: 'delete_passkey', orgId: user.org_id, target: user.id, detail: { credentialId } }, async (trx, end) => {
      await end.ofCredential(credentialId);
      await deleteCredential(trx, credentialId);
    });
    return c.body(null, 204);
  });

  app.delete('/:id/sessions/:sessionId', validate('param', SESSION_PARAMS), async (c) => {
    const { actor } = c.var;
    const { id, sessionId } = c.req.valid('param');
    const user = await userFor(actor, id);
    if (!(await services.sessions.findOfUser(user.id, sessionId, services.now()))) throw new ApiError(404, 'No such session');
    await applyAdminChange(c, services, { op: 'end_session', orgId: user.org_id, target: user.id, detail: { sessionId } }, (_trx, end) => end.byId([sessionId]));
    return c.body(null, 204);
  });

  app.delete('/:id/sessions', validate('param', ID_PARAM), async (c) => {
    const { actor } = c.var;
    const user = await userFor(actor, c.req.valid('param').id);
    await applyAdminChange(c, services, { op: 'end_all_sessions', orgId: user.org_id, target: user.id }, (_trx, end) => end.ofUser(user.id));
    return c.body(null, 204);
  });

  app.get('/:id/apps', validate('param', ID_PARAM), async (c) => {
    const user = await userFor(c.var.actor, c.req.valid('param').id);
    return c.json(await connectedAppsOf(services, user.id));
  });

  app.delete('/:id/apps/:clientId', validate('param', ID_PARAM.extend(APP_PARAM.shape)), async (c) => {
    const { id, clientId } = c.req.valid('param');
    const user = await userFor(c.var.actor, id);
    await disconnectPersonApp(c, services, c.var.actor.userId, user, clientId);
    return c.body(null, 204);
  });

  app.post('/:id/link', validate('param', ID_PARAM), async (c) => {
    const { actor } = c.var;
    const user = await userFor(actor, c.req.valid('param').id);
    await requireChangeable(actor, user);
    const token = randomResetToken();
    const now = services.now();
    const expiresAt = now + ADMIN_LINK_LIFETIME_MS;
    // A new registration link replaces the open one: a link sent to the wrong place dies when the right one is made.
    const { id, replaced } = await applyAdminChange(c, services, { op: 'create_link', orgId: user.org_id, target: user.id }, (trx) =>
      replaceResetToken(trx, { tokenHash: hashResetToken(token), userId: user.id, kind: 'reset', expiresAt }, now),
    );
    const body: UserLink = { id, url: resetLink(services.config, token), token, expiresAt: iso(expiresAt), replaced };
    return c.json(body);
  });

  app.get('/:id/links', validate('param', ID_PARAM), async (c) => {
    const user = await userFor(c.var.actor, c.req.valid('param').id);
    const body: LinkInfo[] = (await listLiveResetTokensOfUser(db, user.id, services.now())).map(linkInfo);
    return c.json(body);
  });

  app.delete('/:id/links/:linkId', validate('param', LINK_PARAMS), async (c) => {
    const { actor } = c.var;
    const { id, linkId } = c.req.valid('param');
    const user = await userFor(actor, id);
    await requireChangeable(actor, user);
    const now = services.now();
    await applyAdminChange(c, services, { op: 'revoke_link', orgId: user.org_id, target: user.id, detail: { linkId } }, async (trx) => {
      // Thrown inside, so that nothing is audited for a link that was not there.
      if (!(await revokeResetToken(trx, { userId: user.id, id: linkId }, now))) throw new ApiError(404, 'No such open link');
    });
    return c.body(null, 204);
  });

  return app;
}
