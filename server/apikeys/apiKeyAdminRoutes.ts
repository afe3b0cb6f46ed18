/**
 * `/auth/api/admin/orgs/{orgId}/api-keys`: an organisation's API keys. Org admins manage their
 * own organisation's, master admins every one's; another organisation's keys are 404 to an org
 * admin. The secret is returned once, on creation, and stored only as a hash. Revoking keeps
 * the key listed (revoked), so the audit log's names still lead somewhere.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Services } from '../services.js';
import type { ApiKeyInfo, CreatedApiKey } from '../../shared/apiKeys.js';
import { ApiError } from '../http/apiError.js';
import { validate } from '../http/validate.js';
import { findOrg } from '../db/orgs.js';
import { insertOrgApiKey, isApiKeyLive, listOrgApiKeys, revokeOrgApiKey, type OrgApiKeyListing } from '../db/orgApiKeys.js';
import { iso } from '../api/responses.js';
import { applyAdminChange, requireOrgAccess, type AdminActor, type AdminEnv } from '../api/admin/adminAccess.js';
import { NAME, uuidParams } from '../api/admin/adminInput.js';
import { newApiKeySecret } from './apiKeySecret.js';

const ORG_PARAM = uuidParams('orgId');
const KEY_PARAMS = uuidParams('orgId', 'keyId');
const NEW_KEY = z
  .object({
    name: NAME,
    expiresAt: z.iso.datetime({ offset: true, message: 'expiresAt is an ISO 8601 time such as 2027-01-31T12:00:00Z' }).nullable().optional(),
  })
  .strict();

/** A key as the admin API lists it, with its status at `now`. */
export function apiKeyInfo(key: OrgApiKeyListing, now: number): ApiKeyInfo {
  return {
    id: key.id,
    orgId: key.org_id,
    name: key.name,
    status: key.revoked_at !== null ? 'revoked' : isApiKeyLive(key, now) ? 'active' : 'expired',
    createdAt: iso(key.created_at),
    expiresAt: key.expires_at === null ? null : iso(key.expires_at),
    revokedAt: key.revoked_at === null ? null : iso(key.revoked_at),
    lastUsedAt: key.last_used_at === null ? null : iso(key.last_used_at),
  };
}

export function apiKeyAdminRoutes(services: Services): Hono<AdminEnv> {
  const { db } = services.database;
  const app = new Hono<AdminEnv>();

  /** The organisation named in the path, if the actor may see it. */
  async function orgFor(actor: AdminActor, orgId: string): Promise<void> {
    requireOrgAccess(actor, orgId);
    if (!(await findOrg(db, orgId))) throw new ApiError(404, 'No such organisation');
  }

  app.get('/', validate('param', ORG_PARAM), async (c) => {
    const { orgId } = c.req.valid('param');
    await orgFor(c.var.actor, orgId);
    const now = services.now();
    return c.json((await listOrgApiKeys(db, orgId)).map((key) => apiKeyInfo(key, now)));
  });

  app.post('/', validate('param', ORG_PARAM), validate('json', NEW_KEY), async (c) => {
    const { orgId } = c.req.valid('param');
    const input = c.req.valid('json');
    await orgFor(c.var.actor, orgId);
    const now = services.now();
    const expiresAt = input.expiresAt ? Date.parse(input.expiresAt) : null;
    if (expiresAt !== null && expiresAt <= now) throw new ApiError(400, 'expiresAt must be in the future');
    const secret = newApiKeySecret();
    const key = await applyAdminChange<OrgApiKeyListing>(
      c,
      services,
      (created) => ({ op: 'create_api_key', orgId, target: created.id, detail: { keyName: input.name, expiresAt: input.expiresAt ?? null } }),
      (trx) => insertOrgApiKey(trx, { orgId, name: input.name, lookupId: secret.lookupId, secretHash: secret.secretHash, createdBy: c.var.actor.userId, expiresAt }, now),
    );
    const body: CreatedApiKey = { secret: secret.key, key: apiKeyInfo(key, now) };
    return c.json(body, 201);
  });

  app.delete('/:keyId', validate('param', KEY_PARAMS), async (c) => {
    const { orgId, keyId } = c.req.valid('param');
    await orgFor(c.var.actor, orgId);
    const key = (await listOrgApiKeys(db, orgId)).find((listed) => listed.id === keyId);
    await applyAdminChange(c, services, { op: 'revoke_api_key', orgId, target: keyId, detail: { keyName: key?.name ?? null } }, async (trx) => {
      // Thrown inside, so that nothing is audited for a key that was not there.
      if (!(await revokeOrgApiKey(trx, orgId, keyId, services.now()))) throw new ApiError(404, 'No such active API key');
    });
    return c.body(null, 204);
  });

  return app;
}
