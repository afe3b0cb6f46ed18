/**
 * OpenID Connect types shared by the server and the SPA (issue 12). Each OIDC lane appends its
 * own; the signing-key lines come first.
 */

/** JWS algorithms the provider signs with: RS256 (every client supports it) by default; ES256 and EdDSA per client. */
export type SigningAlg = 'RS256' | 'ES256' | 'EdDSA';
export const SIGNING_ALGS: readonly SigningAlg[] = ['RS256', 'ES256', 'EdDSA'];

/**
 * The longest lifetime (seconds from issue to `exp`) of any token the provider signs: access and
 * ID tokens alike (client settings are capped to it; `SigningKeys.sign` refuses longer). A key that
 * stops signing stays in the JWKS this long, so every token it signed can still be verified.
 */
export const MAX_SIGNED_TOKEN_LIFETIME_S = 24 * 60 * 60;

/**
 * Where a signing key is in its life: `next` is published but signs only from `signsFrom` (clients
 * fetch it first), `signing` signs new tokens, `retired` signs no more but stays published until
 * `publishedUntil`, `expired` is out of the JWKS and waits for the hourly sweep to delete it.
 */
export type SigningKeyState = 'next' | 'signing' | 'retired' | 'expired';

/** A signing key as the admin API shows it: public facts only, never key material. */
export interface SigningKeyInfo {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url): the `kid` in token headers and the JWKS. */
  kid: string;
  alg: SigningAlg;
  state: SigningKeyState;
  /** Epoch ms. */
  createdAt: number;
  /** When it began (or begins) signing, epoch ms. */
  signsFrom: number;
  /** When a newer key of its algorithm took over (or will), epoch ms; `null` while it is the newest. */
  retiredAt: number | null;
  /** When it leaves the JWKS, epoch ms; `null` while it is the newest. */
  publishedUntil: number | null;
}

/** `GET /auth/api/admin/oidc/keys`: every key not yet swept, newest first, and the rotation delay. */
export interface SigningKeyList {
  keys: SigningKeyInfo[];
  /** How long a new key waits before it signs, in ms (`--key-rotation-delay`). */
  rotationDelayMs: number;
}

/** `POST /auth/api/admin/oidc/keys/rotate` body. */
export interface RotateKeyRequest {
  alg: SigningAlg;
}

/**
 * `acr` values (authentication context class), so that an app can demand how strongly a person
 * signed in through `acr_values`: every sign-in is with a passkey; a device-bound one (its
 * credential is not backup-eligible: it cannot leave the authenticator) satisfies both values.
 */
export const ACR_PASSKEY = 'urn:passkey-auth:passkey';
/** Signed in with a passkey that cannot be synced or copied off its authenticator. */
export const ACR_DEVICE_BOUND = 'urn:passkey-auth:device-bound';
export const ACR_VALUES = [ACR_DEVICE_BOUND, ACR_PASSKEY] as const;
export type AcrValue = (typeof ACR_VALUES)[number];
