/**
 * Kysely table types. Times are Unix milliseconds (INTEGER); booleans are 0/1;
 * ids are UUIDv7 text; secrets are stored only as SHA-256 hashes (BLOB).
 */
import type { Generated, Insertable, Selectable } from 'kysely';
import type { ResetTokenKind } from '../../shared/resetToken.js';
import type { SigningAlg } from '../../shared/oidc.js';

/** Binary columns (better-sqlite3 reads BLOBs as Buffers, which are Uint8Arrays). */
export type Bytes = Uint8Array<ArrayBuffer>;

export interface OrgTable {
  id: string;
  display_name: string;
  created_at: number;
  /** The role a new user gets when none is chosen; `null` = none (the admin must choose). */
  default_role_id: string | null;
}

export interface PermissionTable {
  id: string;
  /** e.g. `myapp:read`; unique. */
  scope: string;
  display_name: string;
  /** Host the permission counts on; `null` = every host. */
  domain: string | null;
  created_at: number;
}

export interface OrgPermissionTable {
  org_id: string;
  permission_id: string;
}

export interface RoleTable {
  id: string;
  org_id: string;
  display_name: string;
  created_at: number;
}

export interface RolePermissionTable {
  role_id: string;
  permission_id: string;
}

export interface UserTable {
  id: string;
  display_name: string;
  org_id: string;
  role_id: string;
  created_at: number;
  last_seen_at: number | null;
  /** As given; unique on `lower(email)` (ASCII letters fold, as SQLite's `lower` does). */
  email: string | null;
  /** 1 only when an admin vouched for the address; any change by the person themselves resets it. */
  email_verified: Generated<number>;
  /** Lower case, unique; syntax in shared/personFields.ts. */
  username: string | null;
}

export interface CredentialTable {
  id: string;
  user_id: string;
  /** The authenticator's credential ID, raw bytes. */
  credential_id: Bytes;
  public_key: Bytes;
  sign_count: number;
  /** JSON array of AuthenticatorTransport. */
  transports: string;
  aaguid: string;
  /** What the person calls it; distinct among their passkeys (ignoring case). */
  name: string;
  backup_eligible: number;
  backup_state: number;
  created_at: number;
  last_used_at: number | null;
}

export interface SessionTable {
  id: string;
  token_hash: Bytes;
  user_id: string;
  credential_id: string;
  /** Host the cookie belongs to, lower case without port. */
  host: string;
  ip: string;
  user_agent: string;
  created_at: number;
  /** Last time the session was renewed (validate) or used. */
  last_seen_at: number;
  /** Last passkey use that created or refreshed this session (for `max_age`). */
  authenticated_at: number;
  expires_at: number;
}

export interface ResetTokenTable {
  /** UUIDv7, for listing and revoking; never derived from the token. */
  id: string;
  token_hash: Bytes;
  user_id: string;
  kind: ResetTokenKind;
  created_at: number;
  expires_at: number;
}

export interface ExchangeCodeTable {
  code_hash: Bytes;
  user_id: string;
  credential_id: string;
  host: string;
  ip: string;
  user_agent: string;
  authenticated_at: number;
  expires_at: number;
}

/** A REST passkey ceremony between `begin` and `complete` (server/appflows/). */
export interface PasskeyChallengeTable {
  /** SHA-256 of the challenge key the app holds. */
  key_hash: Bytes;
  kind: PasskeyChallengeKind;
  /** The WebAuthn challenge the options carried (base64url). */
  challenge: string;
  /** The host `begin` was asked on: a cookie-mode session belongs to it. */
  host: string;
  /** Register: whose passkey it becomes; authenticate: the user re-authenticating, if any. */
  user_id: string | null;
  /** Token mode: the public client the tokens are for; null in cookie mode. */
  client_id: string | null;
  /** Token mode: the scopes asked for (space-separated). */
  scope: string | null;
  expires_at: number;
}

export type PasskeyChallengeKind = 'authenticate' | 'register';

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  action: string;
  actor_user_id: string | null;
  org_id: string | null;
  target: string | null;
  ip: string | null;
  /** JSON object with action-specific details. */
  detail: string;
}

/** How a client proves itself at the token endpoint; `none` = a public client (PKCE instead of a secret). */
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';
/** Algorithms an ID token may be signed with. */
export type IdTokenAlg = SigningAlg;

/** An OpenID provider signing key pair (server/oidc/signingKeys.ts). */
export interface OidcSigningKeyTable {
  /** RFC 7638 thumbprint of the public key. */
  kid: string;
  alg: SigningAlg;
  /** JWK JSON; never leaves the server. */
  private_jwk: string;
  /** JWK JSON with `kid`, `alg` and `use`, as the JWKS publishes it. */
  public_jwk: string;
  created_at: number;
  signs_from: number;
  /** When a newer key of the same alg takes over signing; `null` while this is the newest. */
  retired_at: number | null;
  /** When it leaves the JWKS (`retired_at` + the longest token lifetime); `null` while the newest. */
  published_until: number | null;
}

/** An OpenID Connect client (relying party); `id` is its `client_id`. */
export interface OidcClientTable {
  id: string;
  org_id: string;
  name: string;
  /** JSON array of exact redirect URIs (loopback ones match on any port). */
  redirect_uris: string;
  /** JSON array. */
  post_logout_redirect_uris: string;
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  /** JSON array: `authorization_code`, `refresh_token`. */
  grant_types: string;
  /** Space-separated scopes the client may ask for. */
  scope: string;
  /** 1 for every public client. */
  require_pkce: number;
  require_consent: number;
  /** Forward auth's `perm` syntax; `null` = anyone in the directory. */
  required_perm: string | null;
  id_token_signed_response_alg: IdTokenAlg;
  /** Seconds. */
  access_token_ttl: number;
  /** Seconds a refresh token lives unused. */
  refresh_idle_ttl: number;
  /** Seconds a grant (and so its refresh tokens) lives at most. */
  refresh_absolute_ttl: number;
  backchannel_logout_uri: string | null;
  /** JSON array of permission scopes the client holds when it signs in as itself (`client_credentials`). */
  service_permissions: string;
  created_at: number;
  updated_at: number;
}

export interface OidcClientSecretTable {
  id: string;
  client_id: string;
  secret_hash: Bytes;
  created_at: number;
  /** `null` = never. */
  expires_at: number | null;
}

/** One person's sign-in to one client: codes, access and refresh tokens hang from it and end with it. */
export interface OidcGrantTable {
  id: string;
  client_id: string;
  user_id: string;
  /** The browser session it began in (the ID token's `sid`); not a foreign key: the grant outlives it. */
  session_id: string | null;
  /** Space-separated granted scopes. */
  scope: string;
  nonce: string | null;
  /** Unix ms of the passkey use behind it. */
  auth_time: number;
  /** JSON array of `amr` values. */
  amr: string;
  acr: string;
  created_at: number;
  /** Absolute end: no refresh past it. */
  expires_at: number;
  revoked_at: number | null;
}

/** A back-channel logout notice waiting to be sent to an app (migration 009). */
export interface OidcLogoutDeliveryTable {
  id: string;
  client_id: string;
  /** The person (`sub`); not a foreign key: a deleted person's apps are told too. */
  user_id: string;
  /** The ended sign-in (`sid`). */
  session_id: string;
  created_at: number;
  /** Attempts made (or under way). */
  attempts: number;
  /** When it is due; a claim moves it past the attempt, a failure to the next retry. */
  next_attempt_at: number;
  last_error: string | null;
}

export interface OidcCodeTable {
  code_hash: Bytes;
  grant_id: string;
  redirect_uri: string;
  /** S256 challenge; `null` when the client sent none (allowed only for confidential clients without require_pkce). */
  code_challenge: string | null;
  expires_at: number;
  used_at: number | null;
}

export interface OidcRefreshTokenTable {
  token_hash: Bytes;
  grant_id: string;
  created_at: number;
  /** Idle end. */
  expires_at: number;
  /** Set when it was exchanged; presenting it again revokes its grant. */
  used_at: number | null;
}

export interface OidcConsentTable {
  user_id: string;
  client_id: string;
  /** Space-separated scopes the person agreed to. */
  scope: string;
  granted_at: number;
}

/** A backend's key to act for its organisation; the secret is stored only as a SHA-256 hash. */
export interface OrgApiKeyTable {
  id: string;
  org_id: string;
  name: string;
  /** The public part of the key, found by index; the secret is compared by hash. */
  lookup_id: string;
  secret_hash: Bytes;
  /** The admin who created it; not a foreign key: the key outlives them. */
  created_by: string | null;
  created_at: number;
  /** `null` = never. */
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface Database {
  orgs: OrgTable;
  permissions: PermissionTable;
  org_permissions: OrgPermissionTable;
  roles: RoleTable;
  role_permissions: RolePermissionTable;
  users: UserTable;
  credentials: CredentialTable;
  sessions: SessionTable;
  reset_tokens: ResetTokenTable;
  exchange_codes: ExchangeCodeTable;
  passkey_challenges: PasskeyChallengeTable;
  audit_log: AuditLogTable;
  oidc_clients: OidcClientTable;
  oidc_client_secrets: OidcClientSecretTable;
  oidc_grants: OidcGrantTable;
  oidc_codes: OidcCodeTable;
  oidc_refresh_tokens: OidcRefreshTokenTable;
  oidc_consents: OidcConsentTable;
  oidc_signing_keys: OidcSigningKeyTable;
  oidc_logout_deliveries: OidcLogoutDeliveryTable;
  org_api_keys: OrgApiKeyTable;
}

export type Org = Selectable<OrgTable>;
export type Permission = Selectable<PermissionTable>;
export type Role = Selectable<RoleTable>;
export type User = Selectable<UserTable>;
export type Credential = Selectable<CredentialTable>;
export type NewCredential = Insertable<CredentialTable>;
export type Session = Selectable<SessionTable>;
export type NewSession = Insertable<SessionTable>;
export type ResetToken = Selectable<ResetTokenTable>;
export type ExchangeCode = Selectable<ExchangeCodeTable>;
export type PasskeyChallenge = Selectable<PasskeyChallengeTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type OidcSigningKey = Selectable<OidcSigningKeyTable>;
export type OidcClientRow = Selectable<OidcClientTable>;
export type OidcGrant = Selectable<OidcGrantTable>;
export type OrgApiKey = Selectable<OrgApiKeyTable>;
export type OidcCode = Selectable<OidcCodeTable>;
export type OidcRefreshToken = Selectable<OidcRefreshTokenTable>;
export type OidcLogoutDelivery = Selectable<OidcLogoutDeliveryTable>;
