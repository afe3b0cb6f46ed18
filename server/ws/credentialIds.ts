import type { AuthenticatorTransport } from '@simplewebauthn/server';
import { CLOSE } from '../../shared/ws.js';
import type { Bytes, Credential } from '../db/schema.js';
import { CeremonyError } from './ceremonySocket.js';
import { fromBase64Url, isBase64Url, toBase64Url } from '../crypto/base64url.js';

/** Decodes a credential id sent by a browser (base64url). @throws {CeremonyError} when malformed. */
export function credentialIdBytes(rawId: string): Bytes {
  if (!isBase64Url(rawId)) throw new CeremonyError('bad_message', CLOSE.badMessage, 'Invalid message: rawId is not base64url');
  return fromBase64Url(rawId);
}

/** A stored credential as allowCredentials / excludeCredentials name it. */
export function credentialDescriptor(credential: Credential): { id: string; transports: AuthenticatorTransport[] } {
  return { id: toBase64Url(credential.credential_id), transports: JSON.parse(credential.transports) as AuthenticatorTransport[] };
}
