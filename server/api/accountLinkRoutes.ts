/**
 * `/auth/api/user/links`: the signed-in person's own open device links, listed (never the token)
 * and revoked. Auth host only (see hostmode), and refused to app-host sessions like every change
 * to the account (sessions/accountHost.ts). Links an admin made for them are the admin's to list.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Services, SessionEnv } from '../services.js';
import type { LinkInfo } from '../../shared/api.js';
import type { ResetTokenKind } from '../../shared/resetToken.js';
import { ApiError } from '../http/apiError.js';
import { validate } from '../http/validate.js';
import { requireAccountSession, requireSession } from '../http/requestSession.js';
import { listLiveResetTokensOfUser, revokeResetToken } from '../db/resetTokens.js';
import { recordAudit } from '../db/audit.js';
import { linkInfo } from './responses.js';

/** The kinds of link a person manages themselves. */
const OWN_KINDS: readonly ResetTokenKind[] = ['device'];
const LINK_PARAM = z.object({ id: z.uuid('Link id must be a UUID') });

export function accountLinkRoutes(services: Services): Hono<SessionEnv> {
  const { db } = services.database;
  const app = new Hono<SessionEnv>();
  app.use(requireSession(services), async (c, next) => {
    requireAccountSession(c.var.session, services.config);
    await next();
  });

  app.get('/', async (c) => {
    const body: LinkInfo[] = (await listLiveResetTokensOfUser(db, c.var.session.user_id, services.now(), OWN_KINDS)).map(linkInfo);
    return c.json(body);
  });

  app.delete('/:id', validate('param', LINK_PARAM), async (c) => {
    const { id } = c.req.valid('param');
    const { session } = c.var;
    const now = services.now();
    await db.transaction().execute(async (trx) => {
      if (!(await revokeResetToken(trx, { userId: session.user_id, id, kinds: OWN_KINDS }, now))) throw new ApiError(404, 'No such open link');
      await recordAudit(trx, { action: 'link_revoked', actorUserId: session.user_id, target: session.user_id, ip: services.clientIp(c), detail: { linkId: id, kind: 'device' } }, now);
    });
    return c.body(null, 204);
  });

  return app;
}
