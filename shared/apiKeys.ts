/**
 * Organisation API keys and the backend API they open (`/auth/api/backend/*`), shared by the
 * server and the admin SPA. Times are ISO 8601 UTC strings.
 */
import type { CreateLinkResponse, PersonFields } from './api.js';
import type { UserSummary } from './admin.js';

/** Where a key stands: usable, past its expiry, or revoked by an admin. */
export type ApiKeyStatus = 'active' | 'expired' | 'revoked';

/** A key as listed (`GET /auth/api/admin/orgs/{id}/api-keys`): never its secret. */
export interface ApiKeyInfo {
  id: string;
  orgId: string;
  name: string;
  status: ApiKeyStatus;
  createdAt: string;
  /** null: does not expire. */
  expiresAt: string | null;
  revokedAt: string | null;
  /** The last call made with it, to the minute; null: never used. */
  lastUsedAt: string | null;
}

/** `POST /auth/api/admin/orgs/{id}/api-keys` */
export interface NewApiKey {
  name: string;
  /** ISO time; null or omitted: never. */
  expiresAt?: string | null;
}

/** The answer to a creation: the key, shown this once (it starts with `pak_`), and its listing. */
export interface CreatedApiKey {
  secret: string;
  key: ApiKeyInfo;
}

/** `POST /auth/api/backend/validate`: a session token (cookie value) or an OIDC access token. */
export interface BackendValidateRequest {
  token: string;
}

/** Whose token it is, with their organisation, role and permissions (those that hold on `host`). */
export interface BackendTokenOwner {
  kind: 'session' | 'access_token';
  user: { id: string; displayName: string } & PersonFields;
  org: { id: string; displayName: string };
  role: { id: string; displayName: string };
  /** Effective permission scopes on `host`. */
  permissions: string[];
  /** The session's host, or the host of the access token's app (its first redirect URI). */
  host: string;
  expiresAt: string;
  /** Access tokens: the app (OIDC client) it was issued to, and its scope. */
  clientId?: string;
  scope?: string;
}

/** `POST /auth/api/backend/users`: a new person in the key's organisation. */
export interface BackendNewUser {
  displayName: string;
  email?: string | null;
  username?: string | null;
  /** A role of the key's organisation (not one holding admin rights); its default role when omitted. */
  roleId?: string;
}

/** The person made, and the registration link to send them. */
export interface BackendCreatedUser {
  user: UserSummary;
  link: CreateLinkResponse;
}
