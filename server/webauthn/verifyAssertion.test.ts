/**
 * verifyAssertion against the reference it replaces, SimpleWebAuthn's verifyAuthenticationResponse
 * (user verification required): for a genuine answer and for each way to forge or replay one,
 * both must agree on accept or refuse.
 */
import { createHash, createSign, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyAuthenticationResponse, verifyRegistrationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import type { Bytes } from '../db/schema.js';
import { verifyAssertion } from './verifyAssertion.js';

const RP_ID = 'example.com';
const ORIGIN = 'https://example.com';
const CHALLENGE = 'Y2hhbGxlbmdlLW9mLXRoaXMtY2VyZW1vbnk';
const OPTIONS = { challenge: CHALLENGE, rpId: RP_ID };

interface Passkey {
  publicKey: Bytes;
  privateKey: KeyObject;
  /** How the key signs: ES256 (DER) or Ed25519. */
  algorithm: 'sha256' | null;
}

/** An ES256 passkey of the tests' software authenticator, registered as the server registers one. */
async function es256Passkey(authenticator: SoftAuthenticator): Promise<Passkey> {
  const creation = { challenge: CHALLENGE, rp: { id: RP_ID, name: 'Example' }, user: { id: 'dXNlcg', name: 'u', displayName: 'U' }, pubKeyCredParams: [{ type: 'public-key' as const, alg: -7 }] };
  const registration = await verifyRegistrationResponse({ response: authenticator.register(creation, ORIGIN), expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID });
  return { publicKey: registration.registrationInfo!.credential.publicKey as Bytes, privateKey: authenticator.credentials.at(-1)!.privateKey, algorithm: 'sha256' };
}

/** An Ed25519 passkey (COSE OKP, alg -8): the path through SimpleWebAuthn's own signature check. */
function ed25519Passkey(): Passkey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const cose = new Map<number, number | Uint8Array>([[1, 1], [3, -8], [-1, 6], [-2, x]]);
  return { publicKey: Buffer.from(isoCBOR.encode(cose)) as Bytes, privateKey, algorithm: null };
}

/** A response re-signed after changing its authenticator data or client data, as an attacker holding the key could. */
function resign(
  response: AuthenticationResponseJSON,
  passkey: Passkey,
  change: { rpId?: string; flags?: number; counter?: number; clientData?: Record<string, unknown> },
): AuthenticationResponseJSON {
  const authData = Buffer.from(response.response.authenticatorData, 'base64url');
  if (change.rpId !== undefined) sha256(change.rpId).copy(authData, 0);
  if (change.flags !== undefined) authData[32] = change.flags;
  if (change.counter !== undefined) authData.writeUInt32BE(change.counter, 33);
  const clientData = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString()), ...change.clientData }));
  const signed = Buffer.concat([authData, sha256(clientData)]);
  const signature = passkey.algorithm ? createSign(passkey.algorithm).update(signed).sign(passkey.privateKey) : sign(null, signed, passkey.privateKey);
  return {
    ...response,
    response: { ...response.response, authenticatorData: authData.toString('base64url'), clientDataJSON: clientData.toString('base64url'), signature: signature.toString('base64url') },
  };
}

const sha256 = (data: Buffer | string): Buffer => createHash('sha256').update(data).digest();

/** Both verifiers' verdicts on one response: the reference's and ours, each 'verified', 'not verified' or 'refused'. */
async function verdicts(response: AuthenticationResponseJSON, passkey: Passkey, storedCounter = 0): Promise<{ reference: string; ours: string }> {
  const verdict = async (run: () => Promise<{ verified: boolean }>) => {
    try {
      return (await run()).verified ? 'verified' : 'not verified';
    } catch {
      return 'refused';
    }
  };
  const common = { response, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID };
  return {
    reference: await verdict(() =>
      verifyAuthenticationResponse({ ...common, credential: { id: response.id, publicKey: passkey.publicKey, counter: storedCounter }, requireUserVerification: true }),
    ),
    ours: await verdict(() => verifyAssertion({ ...common, credential: { publicKey: passkey.publicKey, counter: storedCounter } })),
  };
}

const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;

describe('verifyAssertion agrees with SimpleWebAuthn', () => {
  it.each<[string, { rpId?: string; flags?: number; counter?: number; clientData?: Record<string, unknown> }, number, string]>([
    ['a genuine answer', {}, 0, 'verified'],
    ['an answer from an authenticator that keeps no counter', { counter: 0 }, 0, 'verified'],
    ['another challenge (a replayed answer)', { clientData: { challenge: 'b3RoZXItY2hhbGxlbmdl' } }, 0, 'refused'],
    ['another origin', { clientData: { origin: 'https://evil.example' } }, 0, 'refused'],
    ['a registration answer', { clientData: { type: 'webauthn.create' } }, 0, 'refused'],
    ['a cross-origin frame on another site', { clientData: { crossOrigin: true, topOrigin: 'https://evil.example' } }, 0, 'refused'],
    ['a top origin without crossOrigin', { clientData: { topOrigin: 'https://evil.example' } }, 0, 'refused'],
    ['another RP ID', { rpId: 'evil.example' }, 0, 'refused'],
    ['no user verification (a bare touch)', { flags: UP | BE | BS }, 0, 'refused'],
    ['no user presence', { flags: UV | BE | BS }, 0, 'refused'],
    ['backed up without being backup-eligible', { flags: UP | UV | BS }, 0, 'refused'],
    ['a counter that did not go up', { counter: 5 }, 5, 'refused'],
    ['a counter that went back to zero', { counter: 0 }, 5, 'refused'],
  ])('%s', async (_name, change, storedCounter, expected) => {
    const authenticator = new SoftAuthenticator();
    const passkey = await es256Passkey(authenticator);
    const genuine = authenticator.authenticate(OPTIONS, ORIGIN);
    const response = Object.keys(change).length === 0 ? genuine : resign(genuine, passkey, change);
    expect(await verdicts(response, passkey, storedCounter)).toEqual({ reference: expected, ours: expected });
  });

  it('a signature that does not match', async () => {
    const authenticator = new SoftAuthenticator();
    const passkey = await es256Passkey(authenticator);
    expect(await verdicts(authenticator.authenticate(OPTIONS, ORIGIN, { badSignature: true }), passkey)).toEqual({ reference: 'not verified', ours: 'not verified' });
  });

  it('an id that is not the raw id', async () => {
    const authenticator = new SoftAuthenticator();
    const passkey = await es256Passkey(authenticator);
    const response = authenticator.authenticate(OPTIONS, ORIGIN);
    expect(await verdicts({ ...response, id: `${response.id}A` }, passkey)).toEqual({ reference: 'refused', ours: 'refused' });
  });

  it('an Ed25519 passkey, through SimpleWebAuthn\'s signature check: genuine, then with a broken signature', async () => {
    const authenticator = new SoftAuthenticator();
    await es256Passkey(authenticator);
    const passkey = ed25519Passkey();
    const genuine = resign(authenticator.authenticate(OPTIONS, ORIGIN), passkey, {});
    expect(await verdicts(genuine, passkey)).toEqual({ reference: 'verified', ours: 'verified' });
    const signature = Buffer.from(genuine.response.signature, 'base64url');
    signature.writeUInt8(signature.readUInt8(0) ^ 1, 0);
    const broken = { ...genuine, response: { ...genuine.response, signature: signature.toString('base64url') } };
    expect(await verdicts(broken, passkey)).toEqual({ reference: 'not verified', ours: 'not verified' });
  });
});
