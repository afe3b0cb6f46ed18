/**
 * Connected apps: the OpenID Connect clients a person signed in to. `/auth/api/user/apps` lists
 * and disconnects the signed-in person's own (auth host only, see hostmode; refused to app-host
 * sessions like every change to the account, sessions/accountHost.ts); the admin's user routes
 * use {@link disconnectPersonApp} for theirs.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, Services, SessionEnv } from '../services.js';
import type { ConnectedAppInfo } from '../../shared/api.js';
import { CLIENT_ID_PATTERN } from '../../shared/oidcClients.js';
import type { User } from '../db/schema.js';
import { ApiError } from '../http/apiError.js';
import { validate } from '../http/validate.js';
import { requireAccountSession, requireSession } from '../http/requestSession.js';
import { forgetOidcConsent, listAppConnections } from '../db/oidcConnections.js';
import { endGrants } from '../logout/endGrants.js';
import { findOidcClient } from '../db/oidcClients.js';
import { findUser } from '../db/people.js';
import { recordAudit } from '../db/audit.js';
import { connectedAppInfo } from './responses.js';

/** The app named in the path, by its client_id. */
export const APP_PARAM = z.object({ clientId: z.string().regex(CLIENT_ID_PATTERN, 'clientId is 1-128 of A-Z a-z 0-9 . _ ~ -') });

/** The person's connected apps, as both APIs list them. */
export async function connectedAppsOf(services: Services, userId: string): Promise<ConnectedAppInfo[]> {
  return (await listAppConnections(services.database.db, userId, services.now())).map(connectedAppInfo);
}

/**
 * Disconnects `person` from the app `clientId` on behalf of `actorUserId` (the person, or an
 * admin), with an `oidc_app_disconnected` audit entry.
 * @throws {ApiError} 404 when the person is not connected to such an app.
 */
export async function disconnectPersonApp(c: AppContext, services: Services, actorUserId: string, person: Pick<User, 'id' | 'org_id' | 'display_name'>, clientId: string): Promise<void> {
  const { db } = services.database;
  const client = await findOidcClient(db, clientId);
  if (!client) throw new ApiError(404, 'No such connected app');
  const now = services.now();
  await db.transaction().execute(async (trx) => {
    // The person's live grants of the app end (their tokens stop working, the app is told) and the consent is forgotten.
    const ended = await endGrants(trx, { userId: person.id, clientId: client.id }, now);
    const forgotten = await forgetOidcConsent(trx, person.id, client.id);
    // Thrown inside, so that nothing is audited for an app that was not connected.
    if (ended.length === 0 && !forgotten) throw new ApiError(404, 'No such connected app');
    await recordAudit(trx, {
      action: 'oidc_app_disconnected',
      actorUserId,
      orgId: person.org_id,
      target: person.id,
      ip: services.clientIp(c),
      detail: { client: client.name, clientId: client.id, displayName: person.display_name },
    }, now);
  });
  services.bearerTokens.clear();
}

export function connectedAppRoutes(services: Services): Hono<SessionEnv> {
  const app = new Hono<SessionEnv>();
  app.use(requireSession(services), async (c, next) => {
    requireAccountSession(c.var.session, services.config);
    await next();
  });

  app.get('/', async (c) => c.json(await connectedAppsOf(services, c.var.session.user_id)));

  app.delete('/:clientId', validate('param', APP_PARAM), async (c) => {
    const { session } = c.var;
    const person = await findUser(services.database.db, session.user_id);
    if (!person) throw new ApiError(401, 'Not signed in');
    await disconnectPersonApp(c, services, session.user_id, person, c.req.valid('param').clientId);
    return c.body(null, 204);
  });

  return app;
}
