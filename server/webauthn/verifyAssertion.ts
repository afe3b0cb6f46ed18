/**
 * Verifies a passkey's answer to a sign-in (a WebAuthn assertion): the checks of
 * SimpleWebAuthn's `verifyAuthenticationResponse`, step by step, on SimpleWebAuthn's own
 * parsers, with user verification always required. ES256 keys on P-256 (what nearly every
 * passkey uses) are checked synchronously with node:crypto; other keys go to SimpleWebAuthn's
 * `verifySignature`. Why: profiling sign-ins under load showed WebCrypto's asynchronous jobs
 * (two SHA-256 digests, a key import and the signature check, each a round trip through the
 * thread pool) as a third of the server's time per ceremony.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Bytes } from '../db/schema.js';
import { cose, decodeClientDataJSON, decodeCredentialPublicKey, isoBase64URL, parseAuthenticatorData, verifySignature } from '@simplewebauthn/server/helpers';

export interface VerifyAssertionOpts {
  response: AuthenticationResponseJSON;
  /** The challenge sent in this ceremony's options (base64url). */
  expectedChallenge: string;
  /** The page's origin, already checked against the allowed origins. */
  expectedOrigin: string;
  expectedRPID: string;
  /** The stored passkey: its COSE public key and signature counter. */
  credential: { publicKey: Bytes; counter: number };
}

export interface VerifiedAssertion {
  /** False when every field checks out but the signature does not. */
  verified: boolean;
  authenticationInfo: { newCounter: number; credentialBackedUp: boolean };
}

const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

/**
 * @throws Error naming the field that is wrong (type, challenge, origin, RP ID, flags, counter, key)
 * @example const { verified } = await verifyAssertion({ response, expectedChallenge, expectedOrigin, expectedRPID, credential });
 */
export async function verifyAssertion({ response, expectedChallenge, expectedOrigin, expectedRPID, credential }: VerifyAssertionOpts): Promise<VerifiedAssertion> {
  const { id, rawId, type, response: assertion } = response;
  // A public-key credential whose id and raw id agree
  if (!id) throw new Error('Missing credential ID');
  if (id !== rawId) throw new Error('Credential ID was not base64url-encoded');
  if (type !== 'public-key') throw new Error(`Unexpected credential type ${type}, expected "public-key"`);
  if (typeof assertion?.clientDataJSON !== 'string') throw new Error('Credential response clientDataJSON was not a string');

  const clientData = decodeClientDataJSON(assertion.clientDataJSON);
  // A sign-in answer, not a registration one
  if (clientData.type !== 'webauthn.get') throw new Error(`Unexpected authentication response type: ${clientData.type}`);
  // Signed for this ceremony's challenge: an answer from another ceremony is a replay
  if (clientData.challenge !== expectedChallenge) {
    throw new Error(`Unexpected authentication response challenge "${clientData.challenge}", expected "${expectedChallenge}"`);
  }
  // No page of ours embeds the ceremony in another site's frame
  if (clientData.crossOrigin && clientData.topOrigin) {
    throw new Error(`Detected cross-origin authentication response from top origin of "${clientData.topOrigin}", but no top origin is expected`);
  }
  if (!clientData.crossOrigin && clientData.topOrigin) throw new Error(`Unexpected top origin of "${clientData.topOrigin}" within a non-cross-origin authentication response`);
  // Made on the page we expected
  if (clientData.origin !== expectedOrigin) throw new Error(`Unexpected authentication response origin "${clientData.origin}", expected "${expectedOrigin}"`);

  if (!isoBase64URL.isBase64URL(assertion.authenticatorData)) throw new Error('Credential response authenticatorData was not a base64url string');
  if (!isoBase64URL.isBase64URL(assertion.signature)) throw new Error('Credential response signature was not a base64url string');
  if (assertion.userHandle && typeof assertion.userHandle !== 'string') throw new Error('Credential response userHandle was not a string');
  const { tokenBinding } = clientData;
  if (tokenBinding) {
    if (typeof tokenBinding !== 'object') throw new Error('ClientDataJSON tokenBinding was not an object');
    if (!['present', 'supported', 'notSupported'].includes(tokenBinding.status)) throw new Error(`Unexpected tokenBinding status ${tokenBinding.status}`);
  }

  const authData = isoBase64URL.toBuffer(assertion.authenticatorData);
  const { rpIdHash, flags, counter } = parseAuthenticatorData(authData);
  // For our RP ID: a passkey of another site cannot sign in here
  if (!sha256(expectedRPID).equals(rpIdHash)) throw new Error('Unexpected RP ID hash');
  // The user was present, and verified (PIN, biometrics)
  if (!flags.up) throw new Error('User not present during authentication');
  if (!flags.uv) throw new Error('User verification required, but user could not be verified');
  // The signature counter must go up, unless the authenticator keeps none (both zero)
  if ((counter > 0 || credential.counter > 0) && counter <= credential.counter) {
    throw new Error(`Response counter value ${counter} was lower than expected ${credential.counter}`);
  }
  // A passkey that cannot be backed up cannot say it was
  if (!flags.be && flags.bs) throw new Error('Single-device credential indicated that it was backed up, which should be impossible.');

  const publicKey = decodeCredentialPublicKey(credential.publicKey);
  if (typeof publicKey.get(cose.COSEKEYS.alg) !== 'number') throw new Error('Credential public key was missing numeric alg');
  // The signature covers the authenticator data and the hash of the client data
  const signed = Buffer.concat([authData, sha256(isoBase64URL.toBuffer(assertion.clientDataJSON))]);
  const signature = isoBase64URL.toBuffer(assertion.signature);
  const verified = verifyEs256(publicKey, signed, signature) ?? (await verifySignature({ signature, data: signed, credentialPublicKey: credential.publicKey }));
  return { verified, authenticationInfo: { newCounter: counter, credentialBackedUp: flags.bs } };
}

/** Checks an ES256 signature (DER, as WebAuthn sends it) with a P-256 key; null for any other key. */
function verifyEs256(key: cose.COSEPublicKey, signed: Uint8Array, signature: Uint8Array): boolean | null {
  if (!cose.isCOSEPublicKeyEC2(key) || key.get(cose.COSEKEYS.alg) !== cose.COSEALG.ES256 || key.get(cose.COSEKEYS.crv) !== cose.COSECRV.P256) return null;
  const x = key.get(cose.COSEKEYS.x);
  const y = key.get(cose.COSEKEYS.y);
  if (!x || !y) return null; // SimpleWebAuthn names the missing coordinate
  const jwk = { kty: 'EC', crv: 'P-256', x: isoBase64URL.fromBuffer(x), y: isoBase64URL.fromBuffer(y) };
  return verify('sha256', signed, { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'der' }, signature);
}
