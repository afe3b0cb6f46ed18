/**
 * A software passkey authenticator for server tests (ES256, "none" attestation,
 * discoverable credentials): the stand-in for a phone or security key, which are
 * outside the system. Browser tests use Chromium's virtual authenticator instead.
 */
import { createHash, createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import { fromBase64Url, toBase64Url } from '../crypto/base64url.js';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

interface StoredCredential {
  id: Buffer;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
  counter: number;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;
const AAGUID = Buffer.from('ea9b8d664d011d213ce4b6b48cb575d4', 'hex'); // listed as "Google Password Manager"

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
/** User present always; user verified (PIN, biometrics) unless the test plays a bare touch. */
const userFlags = (userVerified: boolean) => FLAG_UP | (userVerified ? FLAG_UV : 0);

export class SoftAuthenticator {
  readonly credentials: StoredCredential[] = [];

  /**
   * Answers navigator.credentials.create() for `origin`. `userVerified: false` plays a security
   * key that was only touched (no PIN or biometrics): the UV flag is off.
   */
  register(options: PublicKeyCredentialCreationOptionsJSON, origin: string, { userVerified = true } = {}): RegistrationResponseJSON {
    const rpId = options.rp.id!;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, fromBase64Url(jwk.x!)],
      [-3, fromBase64Url(jwk.y!)],
    ]);
    const credential: StoredCredential = { id: randomBytes(16), rpId, userHandle: options.user.id, privateKey, counter: 0 };
    this.credentials.push(credential);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const authData = Buffer.concat([
      this.#authDataHead(rpId, userFlags(userVerified) | FLAG_BE | FLAG_BS | FLAG_AT, 0),
      AAGUID,
      idLength,
      credential.id,
      Buffer.from(isoCBOR.encode(cose)),
    ]);
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]) as never);
    const clientDataJSON = JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false });
    return {
      id: toBase64Url(credential.id),
      rawId: toBase64Url(credential.id),
      type: 'public-key',
      response: { clientDataJSON: toBase64Url(Buffer.from(clientDataJSON)), attestationObject: toBase64Url(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** Answers navigator.credentials.get() for `origin` with the newest matching credential (`userVerified` as in {@link register}; `badSignature` for a forged response). */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    origin: string,
    tweak: { counter?: number; credential?: StoredCredential; userVerified?: boolean; badSignature?: boolean } = {},
  ): AuthenticationResponseJSON {
    const allowed = options.allowCredentials?.map((descriptor) => descriptor.id) ?? [];
    const credential =
      tweak.credential ??
      [...this.credentials].reverse().find((candidate) => candidate.rpId === options.rpId && (allowed.length === 0 || allowed.includes(toBase64Url(candidate.id))));
    if (!credential) throw new Error('NotAllowedError: no credential for this RP');
    credential.counter = tweak.counter ?? credential.counter + 1;
    const authData = this.#authDataHead(credential.rpId, userFlags(tweak.userVerified ?? true) | FLAG_BE | FLAG_BS, credential.counter);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }));
    // `badSignature` signs other bytes: a well-formed signature that does not verify.
    const signed = tweak.badSignature ? Buffer.from('not what was asked') : Buffer.concat([authData, sha256(clientDataJSON)]);
    const signature = createSign('sha256').update(signed).sign(credential.privateKey);
    return {
      id: toBase64Url(credential.id),
      rawId: toBase64Url(credential.id),
      type: 'public-key',
      response: { clientDataJSON: toBase64Url(clientDataJSON), authenticatorData: toBase64Url(authData), signature: toBase64Url(signature), userHandle: credential.userHandle },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  #authDataHead(rpId: string, flags: number, counter: number): Buffer {
    const head = Buffer.alloc(37);
    sha256(rpId).copy(head, 0);
    head[32] = flags;
    head.writeUInt32BE(counter, 33);
    return head;
  }
}
