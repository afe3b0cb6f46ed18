/** PKCE (RFC 7636), S256 only: `plain` would hand the verifier to whoever sees the authorization request. */
import { hash } from 'node:crypto';

/** A code_challenge: base64url of a SHA-256 digest. */
export const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** A code_verifier as RFC 7636 §4.1 allows it. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** Whether `verifier` is well-formed and its S256 transform is `challenge`. */
export function verifiesChallenge(verifier: string, challenge: string): boolean {
  return CODE_VERIFIER.test(verifier) && hash('sha256', verifier, 'base64url') === challenge;
}
