/**
 * `/auth/api/backend/*`: what an app's backend may do with its organisation's API key (see
 * ./apiKeyAuth.ts for who may call). Everything stays inside the key's organisation: a person of
 * another one is answered exactly as one who does not exist (404). Every call is audited with the
 * key's name.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Services } from '../services.js';
import type { BackendCreatedUser, BackendTokenOwner } from '../../shared/apiKeys.js';
import { BUILT_IN_SCOPES } from '../../shared/permissionScopes.js';
import { ADMIN_LINK_LIFETIME_MS } from '../../shared/resetToken.js';
import { ApiError } from '../http/apiError.js';
import { validate } from '../http/validate.js';
import { findOrgAndRole, findUser, findUserRow, insertUser } from '../db/people.js';
import { findOrg, findRole } from '../db/orgs.js';
import { insertResetToken } from '../db/resetTokens.js';
import { recordAudit } from '../db/audit.js';
import { hashResetToken, randomResetToken } from '../crypto/tokens.js';
import { resetLink } from '../links.js';
import { iso, personFields } from '../api/responses.js';
import { userSummary } from '../api/admin/adminResponses.js';
import { ID, NAME, uuidParams } from '../api/admin/adminInput.js';
import { EMAIL, USERNAME, conflictOnTakenField } from '../api/personInput.js';
import { auditApiKeyUse, requireApiKey, type ApiKeyEnv } from './apiKeyAuth.js';
import { tokenOwner } from './tokenOwner.js';

/** Longer than any token we issue (a JWT access token is well under 2 KiB). */
const TOKEN_MAX = 4096;
const VALIDATE = z.object({ token: z.string().min(1, 'token is missing').max(TOKEN_MAX, 'token is too long') }).strict();
const NEW_USER = z.object({ displayName: NAME, email: EMAIL.optional(), username: USERNAME.optional(), roleId: ID.optional() }).strict();
const USER_PARAM = uuidParams('id');
const NO_SUCH_TOKEN = 'No live session or access token of a person in this organisation';
const NO_SUCH_USER = 'No such user in this organisation';

export function backendRoutes(services: Services): Hono<ApiKeyEnv> {
  const { db } = services.database;
  const app = new Hono<ApiKeyEnv>();
  app.use(requireApiKey(services));

  app.post('/validate', validate('json', VALIDATE), async (c) => {
    const { apiKey } = c.var;
    const owner = await tokenOwner(services, c.req.valid('json').token, services.now());
    // Another organisation's person is answered as no one: a key cannot probe other organisations.
    if (!owner || owner.user.org_id !== apiKey.orgId) throw new ApiError(404, NO_SUCH_TOKEN);
    const { org, role } = await findOrgAndRole(db, owner.user);
    await auditApiKeyUse(c, services, apiKey, { op: 'validate_token', target: owner.user.id, detail: { kind: owner.kind } });
    const body: BackendTokenOwner = {
      kind: owner.kind,
      user: { id: owner.user.id, displayName: owner.user.display_name, ...personFields(owner.user) },
      org,
      role,
      permissions: [...owner.permissions],
      host: owner.host,
      expiresAt: iso(owner.expiresAt),
      ...(owner.clientId === undefined ? {} : { clientId: owner.clientId, scope: owner.scope }),
    };
    return c.json(body);
  });

  app.post('/users', validate('json', NEW_USER), async (c) => {
    const { apiKey } = c.var;
    const input = c.req.valid('json');
    const org = await findOrg(db, apiKey.orgId);
    if (!org) throw new ApiError(404, 'The key\'s organisation no longer exists');
    const roleId = input.roleId ?? org.default_role_id;
    if (!roleId) throw new ApiError(400, 'The organisation has no default role: name a roleId');
    if ((await findRole(db, roleId))?.org_id !== org.id) throw new ApiError(400, 'The role does not belong to the key\'s organisation');
    // A leaked key must not be able to make administrators.
    if ((await services.identityQueries.effectiveScopes(org.id, roleId, '')).some((scope) => BUILT_IN_SCOPES.has(scope))) {
      throw new ApiError(403, 'An API key may not create people with administrator rights: choose another role');
    }
    const now = services.now();
    const token = randomResetToken();
    const expiresAt = now + ADMIN_LINK_LIFETIME_MS;
    const { email, username, displayName } = input;
    const created = await db
      .transaction()
      .execute(async (trx) => {
        const user = await insertUser(trx, { displayName, orgId: org.id, roleId, email, username, emailVerified: false }, now);
        const linkId = await insertResetToken(trx, { tokenHash: hashResetToken(token), userId: user.id, kind: 'reset', expiresAt }, now);
        await recordAudit(trx, { action: 'api_key_used', actorUserId: null, orgId: org.id, target: user.id, ip: services.clientIp(c), detail: { op: 'create_user', keyId: apiKey.id, keyName: apiKey.name, displayName } }, now);
        return { user, linkId };
      })
      .catch(conflictOnTakenField);
    const body: BackendCreatedUser = {
      user: userSummary((await findUserRow(db, created.user.id))!),
      link: { id: created.linkId, url: resetLink(services.config, token), token, expiresAt: iso(expiresAt), replaced: 0 },
    };
    return c.json(body, 201);
  });

  app.delete('/users/:id/sessions', validate('param', USER_PARAM), async (c) => {
    const { apiKey } = c.var;
    const user = await findUser(db, c.req.valid('param').id);
    if (!user || user.org_id !== apiKey.orgId) throw new ApiError(404, NO_SUCH_USER);
    // Through the session service, so that everyone who listens to sessions ending hears of it.
    await services.sessions.transaction((_trx, end) => end.ofUser(user.id));
    await auditApiKeyUse(c, services, apiKey, { op: 'end_sessions', target: user.id });
    return c.body(null, 204);
  });

  return app;
}
