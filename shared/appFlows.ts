/**
 * The JSON app API under `/auth/api/app/` (docs/apps.md): what apps written for hosted-page +
 * PKCE sign-in services send and receive. Thin layers over the OpenID Connect grants: the tokens
 * are the provider's own access and refresh tokens.
 */

/**
 * A person as an app sees them. What the app's registration lets it ask for decides what is
 * filled in: `name` and `username` need the `profile` scope, `email` the `email` scope, and
 * `organisation`, `role` and `permissions` the `groups` scope; a field not granted (or not set,
 * like a person without an email address) is `null` (`permissions`: empty).
 */
export interface AppUser {
  /** The person's id (the OpenID Connect `sub`): a UUID that never changes. */
  id: string;
  name: string | null;
  email: string | null;
  username: string | null;
  organisation: { id: string; name: string } | null;
  role: { id: string; name: string } | null;
  /** The person's permissions on the app's host: the `groups` claim, forward auth's `Remote-Groups`. */
  permissions: string[];
}

/** `POST /auth/api/app/token` body: the code the callback received, and the PKCE verifier of its `code_challenge`. */
export interface AppTokenRequest {
  code: string;
  code_verifier: string;
}

/** `POST /auth/api/app/refresh` body. */
export interface AppRefreshRequest {
  refresh_token: string;
}

/** The answer of `token` and `refresh`. */
export interface AppTokens {
  /** A JWT for `Authorization: Bearer` at `me`, `logout`, the OpenID Connect userinfo endpoint and `check`. */
  access_token: string;
  /** Single use: each refresh returns a new one. Absent when the app's registration does not allow refresh tokens. */
  refresh_token?: string;
  /** Seconds until the access token expires. */
  expires_in: number;
  token_type: 'Bearer';
  user: AppUser;
}

/** `POST /auth/api/app/check` body: an access token an app backend was handed, and the app's id (its client id). */
export interface AppCheckRequest {
  token: string;
  app_id: string;
}

/** `POST /auth/api/app/check` answer. */
export type AppCheck = { valid: false } | { valid: true; user: AppUser };

/** Every refusal of the app API: an OAuth-style `error` code and a sentence for people. */
export interface AppApiError {
  error: string;
  detail: string;
}

/** The hosted sign-in page: `?redirect_url=…&code_challenge=…[&state=…]`. */
export const APP_LOGIN_PATH = '/auth/app/login';
/** The hosted page for new people; the same flow as {@link APP_LOGIN_PATH} (docs/apps.md says why). */
export const APP_REGISTER_PATH = '/auth/app/register';
