/**
 * The introspection endpoint (RFC 7662): an app's backend asks whether a token it was handed still
 * counts. A client sees only its own live tokens as active; an unknown, expired or revoked token and
 * another client's token all answer `{ active: false }`. Only clients that hold a secret may ask
 * (RFC 7662 §2.1 wants the caller authenticated; a public client's `client_id` proves nothing).
 * An organisation API key (`Authorization: Bearer pak_…`, server/apikeys/) may ask too, and sees
 * as active the tokens of its organisation's people, whichever app they were issued to.
 */
import { Hono } from 'hono';
import type { AppEnv, Services } from '../services.js';
import type { OidcClient } from '../db/oidcClients.js';
import { authenticateClient } from './clientAuth.js';
import { NO_STORE, OAuthError, oauthErrorResponse } from './oauthError.js';
import { presentedCredentials, readForm } from './oauthForm.js';
import { liveToken, type LiveToken } from './presentedToken.js';
import { findUser } from '../db/people.js';
import { API_KEY_CHALLENGE, auditApiKeyUse, checkApiKey, presentsApiKey } from '../apikeys/apiKeyAuth.js';

/** RFC 7662 §2.2; `token_type` is `Bearer` for access tokens and `refresh_token` for refresh tokens. */
export type Introspection =
  | { active: false }
  | { active: true; scope: string; client_id: string; sub: string; exp: number; iat: number; token_type: 'Bearer' | 'refresh_token'; iss: string; aud: string };

/** Who asks: a client (sees its own tokens) or an organisation's API key (sees its people's). */
export type IntrospectionViewer = { client: Pick<OidcClient, 'id'> } | { orgId: string };

/** A live token with the organisation of the person it was issued for (null: unknown). */
export type OwnedLiveToken = LiveToken & { ownerOrgId: string | null };

/** What `viewer` may learn of `token`. Both kinds of token are for this provider, so `aud` is the issuer. */
export function introspection(token: OwnedLiveToken | null, viewer: IntrospectionViewer, issuer: string): Introspection {
  const visible = token !== null && ('client' in viewer ? token.grant.client_id === viewer.client.id : token.ownerOrgId === viewer.orgId);
  if (!visible) return { active: false };
  return {
    active: true,
    scope: token.scope,
    client_id: token.grant.client_id,
    sub: token.grant.user_id,
    exp: token.expiresAt,
    iat: token.issuedAt,
    token_type: token.kind === 'access_token' ? 'Bearer' : 'refresh_token',
    iss: issuer,
    aud: issuer,
  };
}

export function introspectRoutes(services: Services): Hono<AppEnv> {
  const { db } = services.database;
  const app = new Hono<AppEnv>();

  /** The live token with its person's organisation, or null. */
  async function ownedLiveToken(form: Record<string, string>, now: number): Promise<OwnedLiveToken | null> {
    if (!form.token) throw new OAuthError('invalid_request', 'token is missing');
    const found = await liveToken(services, form.token, form.token_type_hint, now);
    return found && { ...found, ownerOrgId: (await findUser(db, found.grant.user_id))?.org_id ?? null };
  }

  app.post('/introspect', async (c) => {
    try {
      const form = await readForm(c);
      const now = services.now();
      if (presentsApiKey(c)) {
        const checked = await checkApiKey(c, services);
        if (!checked.ok) throw new OAuthError(checked.status === 403 ? 'access_denied' : 'invalid_client', checked.detail, checked.status, checked.status === 401 ? { 'WWW-Authenticate': API_KEY_CHALLENGE } : {});
        const answer = introspection(await ownedLiveToken(form, now), { orgId: checked.caller.orgId }, services.config.issuer);
        await auditApiKeyUse(c, services, checked.caller, { op: 'introspect', target: answer.active ? answer.sub : null, detail: { active: answer.active } });
        return c.json(answer, 200, NO_STORE);
      }
      const client = await authenticateClient(db, presentedCredentials(c, form), now);
      if (client.isPublic) throw new OAuthError('invalid_client', 'introspection is for clients that authenticate with a secret', 401);
      return c.json(introspection(await ownedLiveToken(form, now), { client }, services.config.issuer), 200, NO_STORE);
    } catch (error) {
      if (error instanceof OAuthError) return oauthErrorResponse(c, error);
      throw error;
    }
  });

  return app;
}
