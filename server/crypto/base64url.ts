/**
 * base64url (RFC 4648 §5): the one way bytes become text here, for session tokens, exchange
 * codes and WebAuthn credential ids. Node's Buffer does the work. Decoding checks first,
 * because `Buffer.from(text, 'base64url')` silently skips characters it does not know, so
 * two different texts could name the same bytes.
 */
import type { Bytes } from '../db/schema.js';

/** Unpadded base64url; the `=` padding some encoders add is accepted too. */
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Whether `text` is well-formed base64url (a length of 4n+1 characters encodes no bytes). */
export function isBase64Url(text: string): boolean {
  return BASE64URL.test(text) && text.replace(/=+$/, '').length % 4 !== 1;
}

/** The bytes `text` encodes. @throws {TypeError} when it is not base64url. */
export function fromBase64Url(text: string): Bytes {
  if (!isBase64Url(text)) throw new TypeError('Not base64url');
  return Buffer.from(text, 'base64url') as Bytes;
}
