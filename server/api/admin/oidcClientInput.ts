/**
 * Edge schemas for the OIDC client admin API: RFC 7591 metadata names in, checked field by field
 * (redirect URIs by shared/redirectUriRule.ts, the required permission by forward auth's own
 * `perm` parser), so the routes receive only settings a client may have.
 */
import { z } from 'zod';
import { backchannelLogoutUriProblem, redirectUriProblem, REDIRECT_URIS_MAX } from '../../../shared/redirectUriRule.js';
import { CLIENT_ID_PATTERN, CLIENT_LIFETIME_BOUNDS, CLIENT_SCOPES, GRANT_TYPES, ID_TOKEN_ALGS, TOKEN_ENDPOINT_AUTH_METHODS } from '../../../shared/oidcClients.js';
import { parsePermValue } from '../../forward/permQuery.js';
import { ID, NAME, SCOPE as PERMISSION_SCOPE } from './adminInput.js';

const CLIENT_ID_RULE = 'client_id is 1-128 of A-Z a-z 0-9 . _ ~ -';
const CLIENT_ID = z.string().regex(CLIENT_ID_PATTERN, CLIENT_ID_RULE);

const REDIRECT_URI = z.string().superRefine((uri, ctx) => {
  const problem = redirectUriProblem(uri);
  if (problem) ctx.addIssue({ code: 'custom', message: `a redirect URI ${problem}` });
});
const REDIRECT_URIS = z.array(REDIRECT_URI).max(REDIRECT_URIS_MAX, `at most ${REDIRECT_URIS_MAX} URIs`);

const BACKCHANNEL_LOGOUT_URI = z
  .string()
  .superRefine((uri, ctx) => {
    const problem = backchannelLogoutUriProblem(uri);
    if (problem) ctx.addIssue({ code: 'custom', message: `a back-channel logout URI ${problem}` });
  })
  .nullable();

const GRANTS = z
  .array(z.enum(GRANT_TYPES, `grant types are ${GRANT_TYPES.join(', ')}`))
  .refine((grants) => grants.includes('authorization_code') || grants.includes('client_credentials'), 'must include authorization_code or client_credentials')
  .refine((grants) => !grants.includes('refresh_token') || grants.includes('authorization_code'), 'refresh_token needs authorization_code')
  .transform((grants) => [...new Set(grants)]);

const SERVICE_PERMISSIONS = z.array(PERMISSION_SCOPE).max(100, 'at most 100 permissions').transform((scopes) => [...new Set(scopes)]);

const SCOPE = z
  .string()
  .transform((scope) => [...new Set(scope.trim().split(/\s+/).filter(Boolean))])
  .pipe(z.array(z.enum(CLIENT_SCOPES, `scopes are ${CLIENT_SCOPES.join(', ')}`)).refine((scopes) => scopes.includes('openid'), 'must include openid'));

const REQUIRED_PERM = z
  .string()
  .superRefine((perm, ctx) => {
    const parsed = parsePermValue(perm);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  })
  .nullable();

const lifetime = (name: keyof typeof CLIENT_LIFETIME_BOUNDS) => {
  const { min, max } = CLIENT_LIFETIME_BOUNDS[name];
  return z.number().int(`${name} is whole seconds`).min(min, `at least ${min} seconds`).max(max, `at most ${max} seconds`);
};

/** Every setting, each optional: the update body, and the create body's base. */
const SETTINGS = z.object({
  client_name: NAME,
  redirect_uris: REDIRECT_URIS.min(1, 'at least one redirect URI'),
  post_logout_redirect_uris: REDIRECT_URIS,
  backchannel_logout_uri: BACKCHANNEL_LOGOUT_URI,
  token_endpoint_auth_method: z.enum(TOKEN_ENDPOINT_AUTH_METHODS, `token_endpoint_auth_method is one of ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}`),
  grant_types: GRANTS,
  scope: SCOPE,
  require_pkce: z.boolean(),
  require_consent: z.boolean(),
  required_perm: REQUIRED_PERM,
  id_token_signed_response_alg: z.enum(ID_TOKEN_ALGS, `id_token_signed_response_alg is one of ${ID_TOKEN_ALGS.join(', ')}`),
  access_token_ttl: lifetime('access_token_ttl'),
  refresh_idle_ttl: lifetime('refresh_idle_ttl'),
  refresh_absolute_ttl: lifetime('refresh_absolute_ttl'),
  service_permissions: SERVICE_PERMISSIONS,
});

/** Settings that contradict each other, whether sent together or with what the client already has. */
export function settingsConflict(settings: { token_endpoint_auth_method?: string; require_pkce?: boolean; grant_types?: readonly string[]; refresh_idle_ttl?: number; refresh_absolute_ttl?: number }): string | null {
  if (settings.token_endpoint_auth_method === 'none' && settings.require_pkce === false) return 'a public client (token_endpoint_auth_method none) always requires PKCE';
  // A public client proves nothing about itself: it can never act as itself.
  if (settings.token_endpoint_auth_method === 'none' && settings.grant_types?.includes('client_credentials')) return 'a public client (token_endpoint_auth_method none) cannot use client_credentials';
  if (settings.refresh_idle_ttl !== undefined && settings.refresh_absolute_ttl !== undefined && settings.refresh_idle_ttl > settings.refresh_absolute_ttl) {
    return 'refresh_idle_ttl must not exceed refresh_absolute_ttl';
  }
  return null;
}

const consistent = <T extends Parameters<typeof settingsConflict>[0]>(settings: T, ctx: z.RefinementCtx) => {
  const conflict = settingsConflict(settings);
  if (conflict) ctx.addIssue({ code: 'custom', message: conflict });
};

/** `POST /auth/api/admin/oidc/clients`: a name and redirect URIs at least. */
export const NEW_CLIENT = SETTINGS.partial()
  .required({ client_name: true, redirect_uris: true })
  .extend({
    client_id: CLIENT_ID.optional(),
    org_id: ID.optional(),
  })
  .strict()
  .superRefine(consistent);

/** `PATCH /auth/api/admin/oidc/clients/{id}`: any settings; the client_id and organisation stay. */
export const CLIENT_CHANGE = SETTINGS.partial().strict().superRefine(consistent);

/** `POST /auth/api/admin/oidc/clients/{id}/secrets` */
export const NEW_SECRET = z
  .object({ expires_at: z.iso.datetime({ offset: true, message: 'expires_at is an ISO 8601 time such as 2027-01-31T12:00:00Z' }).nullable().optional() })
  .strict();

/** The client named in the path: its client_id. */
export const CLIENT_PARAM = z.object({ id: CLIENT_ID });
export const SECRET_PARAMS = CLIENT_PARAM.extend({ secretId: z.uuid('secretId must be a UUID') });
