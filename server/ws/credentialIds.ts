import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { AuthenticatorTransport } from '@simplewebauthn/server';
import { CLOSE } from '../../shared/ws.js';
import type { Bytes, Credential } from '../db/schema.js';
import { CeremonyError } from './ceremonySocket.js';

/** Decodes a credential id sent by a browser (base64url). @throws {CeremonyError} when malformed. */
export function credentialIdBytes(rawId: string): Bytes {
  if (!isoBase64URL.isBase64URL(rawId)) throw new CeremonyError('bad_message', CLOSE.badMessage, 'Invalid message: rawId is not base64url');
  return isoBase64URL.toBuffer(rawId) as Bytes;
}

/** A stored credential as allowCredentials / excludeCredentials name it. */
export function credentialDescriptor(credential: Credential): { id: string; transports: AuthenticatorTransport[] } {
  return { id: isoBase64URL.fromBuffer(credential.credential_id), transports: JSON.parse(credential.transports) as AuthenticatorTransport[] };
}
