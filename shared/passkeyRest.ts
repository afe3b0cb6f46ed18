/**
 * The REST passkey ceremonies for native and mobile apps and first-party web apps
 * (`/auth/api/app/passkeys/`, docs/apps.md): `begin` hands out the options and a challenge key,
 * `complete` takes the key and the authenticator's answer. Two modes: **token mode** (`client_id` of
 * a public client: OpenID Connect tokens, as `/auth/api/app/token` answers them) and **cookie mode**
 * (no `client_id`: the session cookie and its CSRF cookie on the requested host).
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { SetSessionResponse, UserRef } from './api.js';

export const PASSKEY_REST_PATH = '/auth/api/app/passkeys';

/** `POST …/authenticate/begin`: token mode names the app (a public client) and optionally fewer scopes; cookie mode sends `{}`. */
export interface PasskeyAuthenticateBegin {
  client_id?: string;
  /** Space-separated, must hold `openid`; default: every scope the app may ask for. */
  scope?: string;
}

/** The answer of either `begin`: pass `options` to the platform's passkey API, keep `challengeKey` for `complete`. */
export interface PasskeyBegun<Options> {
  /** Single use, valid for 2 minutes. */
  challengeKey: string;
  options: Options;
}

export type PasskeyAuthenticateBegun = PasskeyBegun<PublicKeyCredentialRequestOptionsJSON>;
export type PasskeyRegisterBegun = PasskeyBegun<PublicKeyCredentialCreationOptionsJSON>;

/** `POST …/{authenticate,register}/complete`: the key from `begin` and the credential's JSON (`PublicKeyCredential.toJSON()`). */
export interface PasskeyComplete<Credential> {
  challengeKey: string;
  credential: Credential;
}

export type PasskeyAuthenticateComplete = PasskeyComplete<AuthenticationResponseJSON>;
export type PasskeyRegisterComplete = PasskeyComplete<RegistrationResponseJSON>;

/** Cookie mode's `authenticate/complete`: `set-session`'s answer, plus the CSRF token the cookie also carries. */
export interface PasskeyCookieSignIn extends SetSessionResponse {
  /** Send it as `X-CSRF-Token` on state-changing requests that carry neither `Origin` nor `Sec-Fetch-Site`. */
  csrfToken: string;
}

/** `register/complete`: the new passkey (`201`). */
export interface PasskeyRegistered {
  credentialId: string;
  user: UserRef;
}
