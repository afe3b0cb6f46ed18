/**
 * OpenID Connect clients as the admin API (`/auth/api/admin/oidc/clients`) speaks them: RFC 7591
 * client metadata names (`client_name`, `redirect_uris`, `token_endpoint_auth_method`, …) plus
 * Passkey Auth's own fields (organisation, PKCE, consent, required permission, lifetimes).
 */

import { MAX_SIGNED_TOKEN_LIFETIME_S, SIGNING_ALGS, type SigningAlg } from './oidc.js';

export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
/** How the client proves itself at the token endpoint; `none` makes a public client (no secret, PKCE always). */
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];

/** `client_credentials`: the client signs in as itself (a job, a monitor), for confidential clients only. */
export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** The ID token's algorithm: one the provider signs with. */
export const ID_TOKEN_ALGS = SIGNING_ALGS;
export type IdTokenAlg = SigningAlg;

/** Scopes a client may be allowed to ask for; `openid` always among them. */
export const CLIENT_SCOPES = ['openid', 'profile', 'email', 'groups', 'offline_access'] as const;

/** A custom client_id (some apps hard-code theirs): RFC 3986 unreserved characters. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9._~-]{1,128}$/;

/** Lifetimes in seconds the API accepts (the server fills in its defaults when a creation leaves them out). */
export const CLIENT_LIFETIME_BOUNDS = {
  // An access token is signed: no longer than any signed token may live.
  access_token_ttl: { min: 60, max: MAX_SIGNED_TOKEN_LIFETIME_S },
  refresh_idle_ttl: { min: 3600, max: 365 * 86_400 },
  refresh_absolute_ttl: { min: 3600, max: 5 * 365 * 86_400 },
} as const;

/** What an administrator sets (create: all but `client_name` and `redirect_uris` optional; update: any). */
export interface OidcClientSettings {
  client_name: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  /** Where the server posts a logout token when a sign-in of the app ends (Back-Channel Logout 1.0); null: none. */
  backchannel_logout_uri: string | null;
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  grant_types: GrantType[];
  /** Space-separated scopes the client may ask for. */
  scope: string;
  /** Always true for public clients. */
  require_pkce: boolean;
  require_consent: boolean;
  /** Forward auth's `perm` syntax (`app:use`, `a|b`); null lets everybody in. */
  required_perm: string | null;
  id_token_signed_response_alg: IdTokenAlg;
  access_token_ttl: number;
  refresh_idle_ttl: number;
  refresh_absolute_ttl: number;
  /**
   * Permission scopes the client holds when it signs in as itself (`client_credentials`): what its
   * tokens may carry as `scope`, and forward auth's `Remote-Groups` for them. Each one the organisation may grant.
   */
  service_permissions: string[];
}

/** `POST /auth/api/admin/oidc/clients` */
export type OidcClientCreate = Pick<OidcClientSettings, 'client_name' | 'redirect_uris'> &
  Partial<OidcClientSettings> & {
    /** Generated when omitted. */
    client_id?: string;
    /** The actor's organisation when omitted. */
    org_id?: string;
  };

/** `PATCH /auth/api/admin/oidc/clients/{id}` */
export type OidcClientUpdate = Partial<OidcClientSettings>;

/** A client secret as listed: never the secret itself. */
export interface OidcClientSecretInfo {
  id: string;
  created_at: string;
  /** null: does not expire. */
  expires_at: string | null;
}

export interface OidcClientInfo extends OidcClientSettings {
  client_id: string;
  org: { id: string; displayName: string };
  client_secrets: OidcClientSecretInfo[];
  created_at: string;
  updated_at: string;
}

/** Create (confidential client) and new secret: the secret, shown this once. */
export interface IssuedClientSecret {
  client_secret: string;
  /** RFC 7591: seconds since the epoch, 0 when it does not expire. */
  client_secret_expires_at: number;
  secret: OidcClientSecretInfo;
}

/** `POST /auth/api/admin/oidc/clients` answers the client, and its first secret unless it is public. */
export type CreatedOidcClient = OidcClientInfo & Partial<IssuedClientSecret>;

/** `POST /auth/api/admin/oidc/clients/{id}/secrets` */
export interface NewClientSecret {
  /** ISO time; null or omitted: never. */
  expires_at?: string | null;
}
