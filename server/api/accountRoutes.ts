/**
 * Account endpoints reachable on every host: user-info (the signed-in user, or
 * what a reset link is for), create-link (add a device), and deleting a passkey.
 * With a dedicated auth host, a session on an app host sees only its own part of
 * the account and cannot change it (see sessions/accountHost.ts).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, Services } from '../services.js';
import type { CreateLinkResponse, UserInfoSession, UserInfoToken } from '../../shared/api.js';
import { ApiError } from '../http/apiError.js';
import { validate } from '../http/validate.js';
import { addressKey, linkKey } from '../http/rateLimitKeys.js';
import { clearSessionCookie, lookupSession, requireAccountSession, requireRecentAuth, requireSession } from '../http/requestSession.js';
import { isAccountSession } from '../sessions/accountHost.js';
import { RECENT_AUTH_MS } from '../sessions/sessions.js';
import { DEVICE_LINK_LIFETIME_MS, isResetToken } from '../../shared/resetToken.js';
import { hashResetToken, randomResetToken } from '../crypto/tokens.js';
import { findLiveResetToken, replaceResetToken } from '../db/resetTokens.js';
import { credentialDeletability, deleteCredential, listCredentialsOfUser } from '../db/credentials.js';
import { findOrgAndRole, findUser } from '../db/people.js';
import { listHeldPermissions } from '../db/permissions.js';
import { recordAudit } from '../db/audit.js';
import { credentialInfo, heldPermission, iso, personFields, sessionInfo } from './responses.js';
import { personApps } from './personApps.js';
import { connectedAppsOf } from './connectedApps.js';
import { resetLink, uiUrl } from '../links.js';
import { MASTER_ADMIN_SCOPE, ORG_ADMIN_SCOPE } from '../../shared/permissionScopes.js';

const USER_INFO_BODY = z.object({ token: z.string().max(200).optional() }).strict();
const NO_FIELDS = z.object({}).strict();
const CREDENTIAL_PARAM = z.object({ id: z.uuid('Passkey id must be a UUID') });

export function accountRoutes(services: Services): Hono<AppEnv> {
  const { db } = services.database;
  const { config } = services;
  const app = new Hono<AppEnv>();
  const accountUrl = uiUrl(config);

  app.post('/user-info', lookupSession(services), validate('json', USER_INFO_BODY), async (c) => {
    const body = c.req.valid('json');
    const now = services.now();
    if (body.token !== undefined) {
      if (!services.limits.secrets.take([addressKey(services.clientIp(c)), linkKey(body.token)], now)) throw new ApiError(429, 'Too many attempts; wait a minute and retry');
      if (!isResetToken(body.token)) throw new ApiError(400, 'A link token is five words joined by dots');
      const token = await findLiveResetToken(db, hashResetToken(body.token), now);
      const user = token && (await findUser(db, token.user_id));
      if (!token || !user) throw new ApiError(404, 'This link has expired or was already used');
      const passkeys = await listCredentialsOfUser(db, user.id);
      const info: UserInfoToken = {
        kind: 'token',
        tokenKind: token.kind,
        user: { id: user.id, displayName: user.display_name },
        expiresAt: iso(token.expires_at),
        firstPasskey: passkeys.length === 0,
      };
      return c.json(info);
    }

    const session = c.var.session;
    if (!session) throw new ApiError(401, 'Not signed in');
    const user = await findUser(db, session.user_id);
    if (!user) throw new ApiError(401, 'Not signed in');
    const permissions = await services.identityQueries.effectiveScopes(user.org_id, user.role_id, session.host);
    const { org, role } = await findOrgAndRole(db, user);
    const common = {
      kind: 'session' as const,
      user: { id: user.id, displayName: user.display_name, createdAt: iso(user.created_at) },
      org,
      role,
      permissions,
      sessionId: session.id,
      recentAuthUntil: iso(session.authenticated_at + RECENT_AUTH_MS),
      isAdmin: permissions.includes(MASTER_ADMIN_SCOPE) || permissions.includes(ORG_ADMIN_SCOPE),
      accountUrl,
    };
    let info: UserInfoSession;
    if (isAccountSession(session, config.authHost)) {
      const [credentials, sessions, held, connectedApps] = await Promise.all([
        listCredentialsOfUser(db, user.id),
        services.sessions.listOfUser(user.id, now),
        listHeldPermissions(db, user.org_id, user.role_id),
        connectedAppsOf(services, user.id),
      ]);
      const allPermissions = held.map(heldPermission);
      info = {
        ...common,
        view: 'account',
        user: { ...common.user, ...personFields(user) },
        credentials: credentials.map((credential) => credentialInfo(credential, session.credential_id)),
        sessions: sessions.map((other) => sessionInfo(other, session.id)),
        allPermissions,
        apps: personApps({ permissions: allPermissions, sessionHosts: sessions.map((other) => other.host), authHost: config.authHost, origins: config.origins }),
        connectedApps,
      };
    } else {
      // An app host's own app reads this: nothing about the other sessions or the passkeys.
      info = { ...common, view: 'appHost', session: sessionInfo(session, session.id) };
    }
    return c.json(info);
  });

  app.post('/create-link', requireSession(services), validate('json', NO_FIELDS), async (c) => {
    const session = c.var.session;
    requireAccountSession(session, config);
    const now = services.now();
    requireRecentAuth(session, now);
    const token = randomResetToken();
    const expiresAt = now + DEVICE_LINK_LIFETIME_MS;
    const { id, replaced } = await db.transaction().execute(async (trx) => {
      const created = await replaceResetToken(trx, { tokenHash: hashResetToken(token), userId: session.user_id, kind: 'device', expiresAt }, now);
      await recordAudit(trx, { action: 'link_created', actorUserId: session.user_id, target: session.user_id, ip: services.clientIp(c), detail: { kind: 'device', replaced: created.replaced } }, now);
      return created;
    });
    const body: CreateLinkResponse = { id, url: resetLink(config, token), token, expiresAt: iso(expiresAt), replaced };
    return c.json(body);
  });

  app.delete('/credential/:id', requireSession(services), validate('param', CREDENTIAL_PARAM), async (c) => {
    const { id } = c.req.valid('param');
    const session = c.var.session;
    requireAccountSession(session, config);
    const now = services.now();
    requireRecentAuth(session, now);
    const outcome = await services.sessions.transaction(async (trx, end) => {
      const deletability = await credentialDeletability(trx, session.user_id, id);
      if (deletability !== 'deletable') return deletability;
      await end.ofCredential(id);
      await deleteCredential(trx, id);
      await recordAudit(trx, { action: 'passkey_removed', actorUserId: session.user_id, target: id, ip: services.clientIp(c) }, now);
      return 'deleted';
    });
    if (outcome === 'missing') throw new ApiError(404, 'No such passkey');
    if (outcome === 'last') throw new ApiError(409, 'This is your only passkey: deleting it would lock you out. Add another passkey first.');
    if (id === session.credential_id) clearSessionCookie(c, services.hostOf(c));
    return c.body(null, 204);
  });

  return app;
}
