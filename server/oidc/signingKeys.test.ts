/**
 * SigningKeys against a real database, with a clock the tests move: signing, verifying,
 * the JWKS, and a rotation from start to finish.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignJWT, createLocalJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify, type JWTPayload } from 'jose';
import type { OpenDatabase } from '../db/database.js';
import { openTestDatabase } from '../testing/testDatabase.js';
import { InvalidTokenError, SigningKeys } from './signingKeys.js';
import { listAudit } from '../db/audit.js';
import { MAX_SIGNED_TOKEN_LIFETIME_S } from '../../shared/oidc.js';

const ISSUER = 'https://auth.example.com/auth';
const HOUR = 3_600_000;
const DELAY = 24 * HOUR;
const MAX_MS = MAX_SIGNED_TOKEN_LIFETIME_S * 1000;
const ADMIN = { userId: '0190b1c4-0000-7000-8000-000000000001', ip: '192.0.2.1' };

let database: OpenDatabase;
let clock: number;
let keys: SigningKeys;

const newKeys = (issuer = ISSUER) => new SigningKeys({ db: database.db, issuer, now: () => clock, rotationDelayMs: DELAY });
/** A payload that expires `ttlS` seconds from the test clock. */
const claims = (ttlS = 1800, extra: JWTPayload = {}): JWTPayload => ({ sub: 'person', aud: 'app', exp: Math.floor(clock / 1000) + ttlS, ...extra });
const kidOf = (token: string) => decodeProtectedHeader(token).kid;
const publishedKids = async (from = keys) => (await from.jwks()).keys.map((key) => key.kid);

beforeEach(async () => {
  database = await openTestDatabase();
  clock = Date.UTC(2026, 10, 30, 10);
  keys = newKeys();
});
afterEach(() => database.close());

describe('SigningKeys: signing and verifying', () => {
  it('signs with the RS256 key it creates on first use, and verifies what it signed', async () => {
    const token = await keys.sign(claims(), { alg: 'RS256' });
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(await publishedKids()).toEqual([header.kid]);
    const payload = await keys.verify(token, { audience: 'app' });
    expect(payload).toMatchObject({ iss: ISSUER, sub: 'person', aud: 'app', iat: Math.floor(clock / 1000) });
  });

  it("keeps the iat its caller computed exp from, when the clock has moved to the next second meanwhile", async () => {
    const iat = Math.floor(clock / 1000);
    clock += 1000;
    const payload = await keys.verify(await keys.sign(claims(1800, { iat }), { alg: 'RS256' }), { audience: 'app' });
    expect(payload.iat).toBe(iat);
  });

  it('publishes public keys only, under their RFC 7638 thumbprint, and a client verifies with them', async () => {
    const token = await keys.sign(claims(), { alg: 'RS256' });
    const { keys: [jwk] } = await keys.jwks();
    expect(Object.keys(jwk!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwk!.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(jwk!.n!, 'base64url')).toHaveLength(256); // RSA-2048
    const { payload } = await jwtVerify(token, createLocalJWKSet(await keys.jwks()), { issuer: ISSUER, currentDate: new Date(clock) });
    expect(payload.sub).toBe('person');
  });

  it('creates ES256 and EdDSA keys when first needed, once however many ask at the same time', async () => {
    const [es1, es2, ed] = await Promise.all([
      keys.sign(claims(), { alg: 'ES256' }),
      keys.sign(claims(), { alg: 'ES256' }),
      keys.sign(claims(), { alg: 'EdDSA' }),
    ]);
    expect(kidOf(es1)).toBe(kidOf(es2));
    const jwks = (await keys.jwks()).keys;
    expect(jwks.map((key) => [key.alg, key.kty, key.crv])).toEqual(expect.arrayContaining([['ES256', 'EC', 'P-256'], ['EdDSA', 'OKP', 'Ed25519'], ['RS256', 'RSA', undefined]]));
    expect(jwks).toHaveLength(3);
    for (const key of jwks) expect(key).not.toHaveProperty('d');
    expect((await keys.verify(ed!)).sub).toBe('person');
    expect((await keys.verify(es1)).sub).toBe('person');
  });

  it('signs with a key it creates while the clock moves on', async () => {
    const ticking = new SigningKeys({ db: database.db, issuer: ISSUER, now: () => (clock += 7), rotationDelayMs: DELAY });
    const token = await ticking.sign(claims(), { alg: 'ES256' });
    expect(decodeProtectedHeader(token).alg).toBe('ES256');
  });

  it('keeps token kinds apart by typ', async () => {
    const accessToken = await keys.sign(claims(), { alg: 'RS256', typ: 'at+jwt' });
    expect(decodeProtectedHeader(accessToken).typ).toBe('at+jwt');
    expect((await keys.verify(accessToken, { typ: 'at+jwt' })).sub).toBe('person');
    await expect(keys.verify(accessToken)).rejects.toThrow(InvalidTokenError);
    const idToken = await keys.sign(claims(), { alg: 'RS256' });
    await expect(keys.verify(idToken, { typ: 'at+jwt' })).rejects.toThrow(InvalidTokenError);
  });

  it('refuses a tampered token, a wrong issuer or audience, an expired token and garbage', async () => {
    const token = await keys.sign(claims(), { alg: 'RS256' });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'admin' })).toString('base64url');
    await expect(keys.verify(`${header}.${forged}.${signature}`)).rejects.toThrow(/signature verification failed/);
    await expect(keys.verify(token, { audience: 'other-app' })).rejects.toThrow(/aud/);
    // Same keys, another issuer: its tokens are not ours.
    await expect(newKeys('https://other.example.com/auth').verify(token)).rejects.toThrow(/iss/);
    clock += 1801 * 1000;
    await expect(keys.verify(token)).rejects.toThrow(/exp/);
    await expect(keys.verify('not.a.jwt')).rejects.toThrow(InvalidTokenError);
    await expect(keys.verify('')).rejects.toThrow(InvalidTokenError);
  });

  it('refuses a token signed by a key it does not publish, and an alg other than the key\'s', async () => {
    await keys.ensureKey('RS256');
    const [kid] = await publishedKids();
    const stranger = await generateKeyPair('RS256');
    const foreign = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'unknown', typ: 'JWT' }).setIssuer(ISSUER).setIssuedAt().sign(stranger.privateKey);
    await expect(keys.verify(foreign)).rejects.toThrow(/Unknown or withdrawn signing key "unknown"/);
    // A stranger's signature under our kid fails the signature check.
    const impostor = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).setIssuer(ISSUER).setIssuedAt().sign(stranger.privateKey);
    await expect(keys.verify(impostor)).rejects.toThrow(/signature verification failed/);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid, typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims(1800, { iss: ISSUER, iat: 1 }))).toString('base64url')}.`;
    await expect(keys.verify(none)).rejects.toThrow(InvalidTokenError);
  });

  it('signs nothing without an exp, or one further ahead than a retired key stays published', async () => {
    await expect(keys.sign({ sub: 'person' }, { alg: 'RS256' })).rejects.toThrow(/needs an exp/);
    await expect(keys.sign(claims(MAX_SIGNED_TOKEN_LIFETIME_S + 1), { alg: 'RS256' })).rejects.toThrow(/needs an exp/);
    await expect(keys.sign(claims(0), { alg: 'RS256' })).rejects.toThrow(/needs an exp/);
    expect(await keys.sign(claims(MAX_SIGNED_TOKEN_LIFETIME_S), { alg: 'RS256' })).toBeTruthy();
  });
});

describe('SigningKeys: rotation without an outage', () => {
  it('publishes the new key at once, signs with it after the delay, and drops the old one once its tokens have expired', async () => {
    const before = await keys.sign(claims(), { alg: 'RS256' });
    const oldKid = kidOf(before)!;
    const rotated = await keys.rotate('RS256', ADMIN);
    expect(rotated).toMatchObject({ alg: 'RS256', state: 'next', signsFrom: clock + DELAY, retiredAt: null });
    expect(await publishedKids()).toEqual([rotated.kid, oldKid]);
    expect((await keys.list()).map((key) => [key.kid, key.state, key.retiredAt, key.publishedUntil])).toEqual([
      [rotated.kid, 'next', null, null],
      [oldKid, 'signing', clock + DELAY, clock + DELAY + MAX_MS],
    ]);

    // Until the delay is over the old key keeps signing: apps that cached the JWKS can verify.
    clock += DELAY - 1000;
    const lastOld = await keys.sign(claims(MAX_SIGNED_TOKEN_LIFETIME_S), { alg: 'RS256' });
    expect(kidOf(lastOld)).toBe(oldKid);
    clock += 1000;
    const firstNew = await keys.sign(claims(), { alg: 'RS256' });
    expect(kidOf(firstNew)).toBe(rotated.kid);
    expect((await keys.list()).map((key) => key.state)).toEqual(['signing', 'retired']);

    // The last token the old key signed still verifies until it expires, and so long the key is published.
    clock += MAX_MS - 1001;
    expect((await keys.verify(lastOld)).sub).toBe('person');
    expect(await publishedKids()).toEqual([rotated.kid, oldKid]);
    clock += 1001;
    expect(await publishedKids()).toEqual([rotated.kid]);
    await expect(keys.verify(lastOld)).rejects.toThrow(/Unknown or withdrawn signing key/);
    expect((await keys.list()).map((key) => key.state)).toEqual(['signing', 'expired']);

    // The sweep deletes it.
    expect(await keys.deleteExpired()).toBe(1);
    expect((await keys.list()).map((key) => key.kid)).toEqual([rotated.kid]);
  });

  it('rotates one algorithm only, and records who did it', async () => {
    const es = await keys.sign(claims(), { alg: 'ES256' });
    await keys.ensureKey('RS256');
    const rotated = await keys.rotate('RS256', ADMIN);
    clock += DELAY;
    expect(kidOf(await keys.sign(claims(), { alg: 'ES256' }))).toBe(kidOf(es));
    expect(kidOf(await keys.sign(claims(), { alg: 'RS256' }))).toBe(rotated.kid);
    const { items: [entry] } = await listAudit(database.db, { page: 1, perPage: 10 }, {});
    expect(entry).toMatchObject({ action: 'oidc_key_rotated', actor_user_id: ADMIN.userId, ip: ADMIN.ip, target: rotated.kid });
    expect(JSON.parse(entry!.detail)).toMatchObject({ alg: 'RS256', kid: rotated.kid, signsFrom: clock });
  });

  it('a second rotation before the first took over hands over in order', async () => {
    const first = kidOf(await keys.sign(claims(), { alg: 'RS256' }));
    const second = await keys.rotate('RS256', ADMIN);
    clock += HOUR;
    const third = await keys.rotate('RS256', ADMIN);
    expect(await publishedKids()).toEqual([third.kid, second.kid, first]);
    clock += DELAY - HOUR;
    expect(kidOf(await keys.sign(claims(), { alg: 'RS256' }))).toBe(second.kid);
    clock += HOUR;
    expect(kidOf(await keys.sign(claims(), { alg: 'RS256' }))).toBe(third.kid);
  });

  it('makes the first key of an algorithm sign at once, even through rotate', async () => {
    const rotated = await keys.rotate('EdDSA', ADMIN);
    expect(rotated.state).toBe('signing');
    expect(kidOf(await keys.sign(claims(), { alg: 'EdDSA' }))).toBe(rotated.kid);
  });

  it('learns of a rotation made by another instance within minutes', async () => {
    await keys.ensureKey('RS256');
    await publishedKids();
    const rotated = await newKeys().rotate('RS256', ADMIN);
    expect(await publishedKids()).not.toContain(rotated.kid);
    clock += 5 * 60_000;
    expect(await publishedKids()).toContain(rotated.kid);
  });
});

describe('SigningKeys: several instances', () => {
  it("tells of its own changes, and after reload() verifies tokens signed with another instance's new key", async () => {
    let told = 0;
    const here = new SigningKeys({ db: database.db, issuer: ISSUER, now: () => clock, rotationDelayMs: 0, onChanged: () => told++ });
    const there = new SigningKeys({ db: database.db, issuer: ISSUER, now: () => clock, rotationDelayMs: 0 });
    await here.sign(claims(), { alg: 'RS256' });
    expect(told).toBe(1);
    const before = await publishedKids(here);

    // Another instance rotates; its new key signs at once (no rotation delay).
    const rotated = await there.rotate('RS256', ADMIN);
    const token = await there.sign(claims(), { alg: 'RS256' });
    expect(kidOf(token)).toBe(rotated.kid);
    await expect(here.verify(token, { audience: 'app' })).rejects.toThrow(InvalidTokenError);
    expect(await publishedKids(here)).toEqual(before);

    here.reload();
    expect((await here.verify(token, { audience: 'app' })).sub).toBe('person');

    await here.rotate('RS256', ADMIN);
    expect(told).toBe(2);
  });
});
