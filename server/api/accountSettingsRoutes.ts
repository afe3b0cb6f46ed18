/** `/auth/api/user/*`: the signed-in person's own account settings (display name, email, username, passkey names, signing out everywhere); auth host only (see hostmode). */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, Services } from '../services.js';
import type { PasskeyNameResponse, PersonFieldsResponse } from '../../shared/api.js';
import { checkDisplayName } from '../../shared/displayName.js';
import { ApiError } from '../http/apiError.js';
import { validate } from '../http/validate.js';
import { clearSessionCookie, requireSession } from '../http/requestSession.js';
import { findUser, updatePersonFields, updateUserDisplayName, type PersonFields } from '../db/people.js';
import { recordAudit } from '../db/audit.js';
import { listCredentialsOfUser, renameCredential } from '../db/credentials.js';
import { sameName } from '../webauthn/passkeyName.js';
import type { AuditAction } from '../../shared/audit.js';
import type { User } from '../db/schema.js';
import { EMAIL, USERNAME, conflictOnTakenField } from './personInput.js';
import { credentialInfo, personFields } from './responses.js';

const DISPLAY_NAME_BODY = z.object({ displayName: z.string() }).strict();
const EMAIL_BODY = z.object({ email: EMAIL }).strict();
const USERNAME_BODY = z.object({ username: USERNAME }).strict();
const PASSKEY_NAME_BODY = z.object({ name: z.string() }).strict();
const CREDENTIAL_PARAM = z.object({ id: z.uuid('Passkey id must be a UUID') });

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

  /** The signed-in person; a session outlives its user only in a race with their deletion. */
  async function ownUser(userId: string): Promise<User> {
    const user = await findUser(db, userId);
    if (!user) throw new ApiError(401, 'Not signed in');
    return user;
  }

  const answer = (user: User): PersonFieldsResponse => ({ user: { id: user.id, displayName: user.display_name, ...personFields(user) } });

  /** Applies the person's own change, audited as `action` with `detail`; answers with them as changed. */
  async function changeOwnFields(userId: string, ip: string, fields: PersonFields, action: AuditAction, detail: Record<string, unknown>): Promise<PersonFieldsResponse> {
    await db
      .transaction()
      .execute(async (trx) => {
        await updatePersonFields(trx, userId, fields);
        await recordAudit(trx, { action, actorUserId: userId, target: userId, ip, detail }, services.now());
      })
      .catch(conflictOnTakenField);
    services.identities.clear(); // forward auth sends these fields: the change holds from the next request
    return answer(await ownUser(userId));
  }

  app.put('/email', requireSession(services), validate('json', EMAIL_BODY), async (c) => {
    const { email } = c.req.valid('json');
    const user = await ownUser(c.var.session.user_id);
    if (user.email === email) return c.json(answer(user));
    // Only an admin vouches for an address: one the person sets themselves is unverified.
    return c.json(await changeOwnFields(user.id, services.clientIp(c), { email, emailVerified: false }, 'email_changed', { email }));
  });

  app.put('/username', requireSession(services), validate('json', USERNAME_BODY), async (c) => {
    const { username } = c.req.valid('json');
    const user = await ownUser(c.var.session.user_id);
    if (user.username === username) return c.json(answer(user));
    return c.json(await changeOwnFields(user.id, services.clientIp(c), { username }, 'username_changed', { username }));
  });

  app.put('/credential/:id/name', requireSession(services), validate('param', CREDENTIAL_PARAM), validate('json', PASSKEY_NAME_BODY), async (c) => {
    const { id } = c.req.valid('param');
    const session = c.var.session;
    // A passkey's name is shown like a display name, so the same rule keeps it visible text.
    const checked = checkDisplayName(c.req.valid('json').name);
    if (!checked.ok) throw new ApiError(400, `Passkey name ${checked.problem}`);
    const name = checked.name;
    // Checked and written in one transaction, so that two renames cannot both take the name.
    const renamed = await db.transaction().execute(async (trx) => {
      const credentials = await listCredentialsOfUser(trx, session.user_id);
      const credential = credentials.find((candidate) => candidate.id === id);
      if (!credential) throw new ApiError(404, 'No such passkey');
      if (credentials.some((other) => other.id !== id && sameName(other.name, name))) throw new ApiError(409, 'Another of your passkeys already has this name');
      await renameCredential(trx, id, name);
      await recordAudit(trx, { action: 'passkey_renamed', actorUserId: session.user_id, target: id, ip: services.clientIp(c), detail: { name } }, services.now());
      return { ...credential, name };
    });
    const body: PasskeyNameResponse = { credential: credentialInfo(renamed, session.credential_id) };
    return c.json(body);
  });

  return app;
}
