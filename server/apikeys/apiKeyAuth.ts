/**
 * Who is calling with an organisation API key. Keys are for backends: a request that carries a
 * cookie, `Origin` or `Sec-Fetch-Site` comes from (or through) a browser, where a key must never
 * be, and is refused 403 whatever its key. A malformed, unknown, expired or revoked key is 401.
 * Each accepted use updates the key's last-used time (to the minute).
 */
import type { MiddlewareHandler } from 'hono';
import type { AppContext, AppEnv, Services } from '../services.js';
import { findOrgApiKeyByLookupId, isApiKeyLive, recordOrgApiKeyUse } from '../db/orgApiKeys.js';
import { recordAudit } from '../db/audit.js';
import { API_KEY_PREFIX, apiKeyLookupId, apiKeyMatches } from './apiKeySecret.js';

/** The key a request authenticated with. */
export interface ApiKeyCaller {
  id: string;
  orgId: string;
  name: string;
}

/** Routes behind {@link requireApiKey}. */
export type ApiKeyEnv = AppEnv & { Variables: { apiKey: ApiKeyCaller } };

/** Headers only browsers send (or a proxy passes on from one). */
const BROWSER_HEADERS = ['cookie', 'origin', 'sec-fetch-site'] as const;
const BEARER = /^Bearer\s+(\S+)$/i;
export const API_KEY_CHALLENGE = 'Bearer realm="passkey-auth-api-keys"';

export type ApiKeyCheck = { ok: true; caller: ApiKeyCaller } | { ok: false; status: 401 | 403; detail: string };

/** Whether the request's Authorization header holds something shaped like an API key (`Bearer pak_…`). */
export function presentsApiKey(c: AppContext): boolean {
  return BEARER.exec(c.req.header('authorization') ?? '')?.[1]?.startsWith(API_KEY_PREFIX) ?? false;
}

/** Checks the request's API key; records the use when it is accepted. */
export async function checkApiKey(c: AppContext, services: Services): Promise<ApiKeyCheck> {
  const browserHeader = BROWSER_HEADERS.find((name) => c.req.header(name) !== undefined);
  if (browserHeader !== undefined) {
    return { ok: false, status: 403, detail: `API keys are for backends only: this request carries a ${browserHeader} header, so it comes from a browser. Call from your server, and never put an API key in a web page.` };
  }
  const presented = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
  if (presented === undefined) return { ok: false, status: 401, detail: 'An organisation API key is required: Authorization: Bearer pak_…' };
  const lookupId = apiKeyLookupId(presented);
  const key = lookupId === null ? undefined : await findOrgApiKeyByLookupId(services.database.db, lookupId);
  const now = services.now();
  // One answer for every kind of wrong key, so a caller cannot tell which part was right.
  if (!key || !apiKeyMatches(presented, key.secret_hash) || !isApiKeyLive(key, now)) {
    return { ok: false, status: 401, detail: 'The API key is unknown, expired or revoked' };
  }
  await recordOrgApiKeyUse(services.database.db, key.id, now);
  return { ok: true, caller: { id: key.id, orgId: key.org_id, name: key.name } };
}

/**
 * Sets `c.var.apiKey`, or answers 403 (from a browser) or 401 (no valid key, with `WWW-Authenticate`).
 * @example app.use(requireApiKey(services))
 */
export const requireApiKey = (services: Services): MiddlewareHandler<ApiKeyEnv> =>
  async function requireApiKeyMiddleware(c, next) {
    const checked = await checkApiKey(c, services);
    if (!checked.ok) return c.json({ detail: checked.detail }, checked.status, checked.status === 401 ? { 'WWW-Authenticate': API_KEY_CHALLENGE } : {});
    c.set('apiKey', checked.caller);
    await next();
  };

/** What a backend did with a key, for the audit log: the operation and whom it concerned. */
export interface ApiKeyUse {
  op: 'validate_token' | 'create_user' | 'end_sessions' | 'introspect';
  target?: string | null;
  detail?: Record<string, unknown>;
}

/** Records one use of a key in the audit log, naming the key. */
export async function auditApiKeyUse(c: AppContext, services: Services, caller: ApiKeyCaller, use: ApiKeyUse): Promise<void> {
  await recordAudit(
    services.database.db,
    { action: 'api_key_used', actorUserId: null, orgId: caller.orgId, target: use.target ?? null, ip: services.clientIp(c), detail: { op: use.op, keyId: caller.id, keyName: caller.name, ...use.detail } },
    services.now(),
  );
}
