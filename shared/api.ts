/** HTTP API shapes shared by the server and the SPA. Times are ISO 8601 UTC strings. */
import type { ResetTokenKind } from './resetToken.js';

/** Every error response body. `reauth: true` means: authenticate again (recently), then retry. */
export interface ErrorBody {
  detail: string;
  reauth?: boolean;
}

export interface HealthResponse {
  status: 'ok' | 'degraded';
  version: string;
  database: 'ok' | 'error';
  /** Set once a peer that is not a --trusted-proxy sent X-Forwarded-For: likely a proxy the operator forgot to trust. */
  untrustedProxy: { peer: string; lastSeen: string } | null;
}

export interface UserRef {
  id: string;
  displayName: string;
}

/**
 * What apps read about a person besides their name (OpenID Connect `email`, `email_verified`,
 * `preferred_username`). Syntax in shared/personFields.ts.
 */
export interface PersonFields {
  email: string | null;
  /** True only when an admin vouched for the address; the person's own change resets it. */
  emailVerified: boolean;
  username: string | null;
}

/** `POST /auth/api/set-session` */
export interface SetSessionResponse {
  user: UserRef;
  sessionId: string;
  expiresAt: string;
}

/** `POST /auth/api/validate` */
export interface ValidateResponse {
  valid: true;
  user: UserRef;
  sessionId: string;
  expiresAt: string;
  /** Whether this call extended the session. */
  renewed: boolean;
}

export interface CredentialInfo {
  id: string;
  /**
   * What the person calls it, distinct among their passkeys (ignoring case). Given at registration:
   * the authenticator's name, else the registering browser and system ("Chrome on Linux"), else
   * "Passkey", numbered when taken ("Chrome on Linux (2)"); renamed with `PUT /auth/api/user/credential/{id}/name`.
   */
  name: string;
  aaguid: string;
  /** The authenticator's product name from the AAGUID list; null when it is not listed. */
  authenticatorName: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  /** The passkey can be synced (backup eligible) and is (backup state). */
  synced: boolean;
  /** The passkey this session signed in with. */
  current: boolean;
}

export interface SessionInfo {
  id: string;
  host: string;
  ip: string;
  userAgent: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  credentialId: string;
  /** The session of the browser asking. */
  current: boolean;
}

/** A permission the person holds (their role's, where their organisation may grant it). */
export interface HeldPermission {
  scope: string;
  displayName: string;
  /** The host it counts on; `null` = every host. */
  domain: string | null;
}

/**
 * An app the person can open from their account page. Today every app is a host behind the
 * reverse proxy (`kind: 'proxied'`): one their permissions name, or one they have a session on.
 * OpenID Connect clients are listed apart, as {@link ConnectedAppInfo}.
 */
export interface AppInfo {
  kind: 'proxied';
  /** The app's host name, checked to be one (so it is safe in a URL). */
  host: string;
  /** Where it opens: the allowed origin (`--origin`) for that host with its scheme and port, else `https://<host>/`. */
  url: string;
  /** Scopes of the person's permissions that count on this host only (the every-host ones count too). */
  permissions: string[];
  /** The person has a live session on this host. */
  signedIn: boolean;
}

/**
 * An app (OpenID Connect client) the person signed in to with Passkey Auth: it holds a live grant
 * for them, or they agreed to what it receives. `GET /auth/api/user/apps` and the admin's
 * `GET /auth/api/admin/users/{id}/apps` list these; disconnecting one ends its grants and consent.
 */
export interface ConnectedAppInfo {
  clientId: string;
  /** The app's name as its administrator registered it. */
  name: string;
  /** The first sign-in to it the server still remembers. */
  firstUsedAt: string;
  /** When it last received tokens for the person: a sign-in or a refresh. */
  lastUsedAt: string;
  /** The claims it receives (beyond `sub`), e.g. `name`, `email`, `groups`: as the consent screen names them. */
  claims: string[];
  /** It may refresh its tokens while the person is away (`offline_access`). */
  offlineAccess: boolean;
}

/** What `POST /auth/api/user-info` without a token tells every host about the signed-in user. */
interface UserInfoCommon {
  kind: 'session';
  user: UserRef & { createdAt: string };
  org: { id: string; displayName: string };
  role: { id: string; displayName: string };
  /** Effective permission scopes on this host. */
  permissions: string[];
  /** The session asking. */
  sessionId: string;
  /** Passkey use is recent enough for sensitive actions until this time. */
  recentAuthUntil: string;
  /** Holds `auth:admin` or `auth:org:admin`. */
  isAdmin: boolean;
  /** Where the full account page lives (`https://auth.example.com/`), for the summary on app hosts. */
  accountUrl: string;
}

/** A session that may manage the account (on the auth host, or any host without one): the whole account. */
export interface UserInfoAccount extends UserInfoCommon {
  view: 'account';
  user: UserInfoCommon['user'] & PersonFields;
  credentials: CredentialInfo[];
  sessions: SessionInfo[];
  /** Every permission the person holds, on whichever host it counts (`permissions` names this host's only). */
  allPermissions: HeldPermission[];
  /** The apps the person can open, by host name. */
  apps: AppInfo[];
  /** The apps they signed in to with Passkey Auth (OpenID Connect). */
  connectedApps: ConnectedAppInfo[];
}

/**
 * A session on an app host (with a dedicated auth host): only what that host needs. The app behind
 * it sees its visitors' requests, so it learns neither their passkeys nor their other sessions.
 */
export interface UserInfoAppHost extends UserInfoCommon {
  view: 'appHost';
  /** This host's own session. */
  session: SessionInfo;
}

/** `POST /auth/api/user-info` without a token: the signed-in user, as much as this host may see. */
export type UserInfoSession = UserInfoAccount | UserInfoAppHost;

/** `POST /auth/api/user-info` with `{ token }`: what a reset/device link is for. */
export interface UserInfoToken {
  kind: 'token';
  tokenKind: ResetTokenKind;
  user: UserRef;
  expiresAt: string;
  /** The person has no passkey yet: this link registers their first one, not another or a replacement. */
  firstPasskey: boolean;
}

/**
 * `POST /auth/api/create-link` (and an admin's `POST /users/{id}/link`): the new link, the only
 * time its token is shown. It replaces the user's open links of the same kind (`replaced` of them).
 */
export interface CreateLinkResponse {
  id: string;
  url: string;
  token: string;
  expiresAt: string;
  replaced: number;
}

/** An open link as listed (`GET /auth/api/user/links`, `GET /auth/api/admin/users/{id}/links`): never its token. */
export interface LinkInfo {
  id: string;
  kind: ResetTokenKind;
  createdAt: string;
  expiresAt: string;
}

/** `PUT /auth/api/user/display-name` body. */
export interface DisplayNameRequest {
  displayName: string;
}

/** `PUT /auth/api/user/email` body; null removes the address. */
export interface EmailRequest {
  email: string | null;
}

/** `PUT /auth/api/user/username` body; null removes the username. */
export interface UsernameRequest {
  username: string | null;
}

/** What `PUT /auth/api/user/email` and `/user/username` answer: the person as changed. */
export interface PersonFieldsResponse {
  user: UserRef & PersonFields;
}

/** `PUT /auth/api/user/credential/{id}/name` body: the passkey's new name (display-name rules). */
export interface PasskeyNameRequest {
  name: string;
}

/** What `PUT /auth/api/user/credential/{id}/name` answers: the passkey as renamed. */
export interface PasskeyNameResponse {
  credential: CredentialInfo;
}

/** The limits the server enforces on names, shared so the SPA can say them up front. */
export const DISPLAY_NAME_MAX = 64;
