/**
 * The passkeys the ceremony case signs in with: ES256 key pairs of the tests' software
 * authenticator, registered the way the server registers one (SimpleWebAuthn checks the
 * attestation and hands back the COSE public key), so that seeding stores what a real
 * registration would and the load generator, another process, can sign with them.
 */
import { createPrivateKey, randomBytes } from 'node:crypto';
import { verifyRegistrationResponse } from '@simplewebauthn/server';
import { fromBase64Url, toBase64Url } from '../../server/crypto/base64url.js';
import type { Bytes } from '../../server/db/schema.js';
import { SoftAuthenticator } from '../../server/testing/softAuthenticator.js';
import { HOST } from './tokens.js';

/** A passkey as the load generator holds it (JSON, so that it crosses to the child process). */
export interface BenchPasskey {
  /** base64url */
  credentialId: string;
  userHandle: string;
  /** PKCS #8 PEM of the ES256 private key. */
  privateKeyPem: string;
  /** The authenticator's signature counter: each sign-in sends one more, so the server's counter check runs. */
  counter: number;
}

/** A passkey as the database stores it. */
export interface SeedPasskey {
  credentialId: Bytes;
  publicKey: Bytes;
}

/** The authenticator's own record of a passkey (SoftAuthenticator's credentials entries). */
export type StoredPasskey = SoftAuthenticator['credentials'][number];

const REGISTRATION_ORIGIN = `http://${HOST}`;

/** `count` new passkeys for HOST's relying party, each for its own person. */
export async function makePasskeys(count: number): Promise<{ passkeys: BenchPasskey[]; seeds: SeedPasskey[] }> {
  const authenticator = new SoftAuthenticator();
  const passkeys: BenchPasskey[] = [];
  const seeds: SeedPasskey[] = [];
  for (let i = 0; i < count; i++) {
    const challenge = toBase64Url(randomBytes(32));
    const userHandle = toBase64Url(randomBytes(16));
    const response = authenticator.register(
      { challenge, rp: { id: HOST, name: 'bench' }, user: { id: userHandle, name: `bench-${i}`, displayName: `Bench ${i}` }, pubKeyCredParams: [{ type: 'public-key', alg: -7 }] },
      REGISTRATION_ORIGIN,
    );
    const { verified, registrationInfo } = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: REGISTRATION_ORIGIN,
      expectedRPID: HOST,
      requireUserVerification: true,
    });
    if (!verified || !registrationInfo) throw new Error('the software authenticator made a registration that does not verify');
    const stored = authenticator.credentials.at(-1)!;
    seeds.push({ credentialId: fromBase64Url(response.rawId), publicKey: registrationInfo.credential.publicKey as Bytes });
    passkeys.push({ credentialId: response.rawId, userHandle, privateKeyPem: stored.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, counter: stored.counter });
  }
  return { passkeys, seeds };
}

/** The authenticator's record of a passkey handed over as JSON. */
export function storedPasskey(passkey: BenchPasskey): StoredPasskey {
  return { id: Buffer.from(passkey.credentialId, 'base64url'), rpId: HOST, userHandle: passkey.userHandle, privateKey: createPrivateKey(passkey.privateKeyPem), counter: passkey.counter };
}
