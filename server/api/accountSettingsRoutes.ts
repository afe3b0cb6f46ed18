/** `/auth/api/user/*`: the signed-in person's own account settings (display name, signing out everywhere); auth host only (see hostmode). */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, Services } from '../services.js';
import { checkDisplayName } from '../../shared/displayName.js';
import { ApiError } from '../http/apiError.js';
import { validate } from '../http/validate.js';
import { clearSessionCookie, requireSession } from '../http/requestSession.js';
import { updateUserDisplayName } from '../db/people.js';
import { recordAudit } from '../db/audit.js';

const DISPLAY_NAME_BODY = z.object({ displayName: z.string() }).strict();

export function accountSettingsRoutes(services: Services): Hono<AppEnv> {
  const { db } = services.database;
  const app = new Hono<AppEnv>();

  app.post('/logout-all', requireSession(services), async (c) => {
    const session = c.var.session;
    await services.sessions.transaction(async (trx, end) => {
      await end.ofUser(session.user_id);
      await recordAudit(trx, { action: 'sessions_ended_all', actorUserId: session.user_id, target: session.user_id, ip: services.clientIp(c) }, services.now());
    });
    clearSessionCookie(c, services.hostOf(c));
    return c.body(null, 204);
  });

  app.put('/display-name', requireSession(services), validate('json', DISPLAY_NAME_BODY), async (c) => {
    const body = c.req.valid('json');
    const session = c.var.session;
    const checked = checkDisplayName(body.displayName);
    if (!checked.ok) throw new ApiError(400, `Display name ${checked.problem}`);
    const displayName = checked.name;
    await updateUserDisplayName(db, session.user_id, displayName);
    services.identities.clear();
    await recordAudit(db, { action: 'display_name_changed', actorUserId: session.user_id, target: session.user_id, ip: services.clientIp(c), detail: { displayName } }, services.now());
    return c.json({ user: { id: session.user_id, displayName } });
  });

  return app;
}
