/**
 * The OpenID provider's signing keys: kept in the database, imported once into memory, used to
 * sign and verify JWTs, published as a JWK Set, rotated without an outage (keySchedule.ts). The
 * private halves never leave this module.
 */
import {
  SignJWT,
  calculateJwkThumbprint,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type CryptoKey,
  type GenerateKeyPairOptions,
  type JWK,
  type JWTPayload,
} from 'jose';
import type { Kysely } from 'kysely';
import type { Database, OidcSigningKey } from '../db/schema.js';
import { deleteUnpublishedSigningKeys, hasSigningKey, insertSigningKey, listSigningKeys, retireSigningKeys } from '../db/signingKeys.js';
import { recordAudit } from '../db/audit.js';
import { isPublished, keyInfo, rotationSchedule, signerOf } from './keySchedule.js';
import { MAX_SIGNED_TOKEN_LIFETIME_S, type SigningAlg, type SigningKeyInfo } from '../../shared/oidc.js';

/** The `typ` header when the caller names none: ID tokens (RFC 8725 §3.11 keeps token kinds apart by it). */
const DEFAULT_TYP = 'JWT';
/**
 * Keys are re-read from the database this often, should another instance's change notice be missed
 * (they arrive through `onChanged` and {@link SigningKeys.reload}); this instance's own changes drop the cache at once.
 */
const KEY_CACHE_TTL_MS = 5 * 60 * 1000;

/** Any reason a token is refused (bad signature, unknown kid, wrong typ, iss, aud, expired…). */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

/** Who rotated a key, for the audit log. */
export interface KeyRotationActor {
  userId: string;
  ip: string | null;
}

export interface SigningKeysOptions {
  db: Kysely<Database>;
  /** `iss` of every token signed, and required of every token verified. */
  issuer: string;
  /** Current time in ms. */
  now: () => number;
  /** How long a new key waits before it signs. */
  rotationDelayMs: number;
  /** Told after this instance added or deleted keys, so that other instances can {@link SigningKeys.reload}. */
  onChanged?: () => void;
}

/** A stored key with its imported halves, imported on first use (an RSA import is not free). */
interface LoadedKey {
  row: OidcSigningKey;
  publicJwk: JWK;
  privateKey: () => Promise<CryptoKey>;
  publicKey: () => Promise<CryptoKey>;
}

/** The last moment (ms) a token counts as unexpired: a second before its `exp`; 0 when it has none. */
function expiryMoment(token: string): number {
  const { exp } = decodeJwt(token);
  return typeof exp === 'number' ? (exp - 1) * 1000 : 0;
}

function memoize<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

function loadKey(row: OidcSigningKey): LoadedKey {
  const publicJwk = JSON.parse(row.public_jwk) as JWK;
  return {
    row,
    publicJwk,
    privateKey: memoize(async () => (await importJWK(JSON.parse(row.private_jwk) as JWK, row.alg)) as CryptoKey),
    publicKey: memoize(async () => (await importJWK(publicJwk, row.alg)) as CryptoKey),
  };
}

const KEY_OPTIONS: Record<SigningAlg, GenerateKeyPairOptions> = { RS256: { modulusLength: 2048 }, ES256: {}, EdDSA: { crv: 'Ed25519' } };

/** A new key pair of `alg` as a table row: RSA-2048 for RS256, P-256 for ES256, Ed25519 for EdDSA. */
export async function generateSigningKey(alg: SigningAlg, now: number, signsFrom: number): Promise<OidcSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...KEY_OPTIONS[alg] });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  return {
    kid,
    alg,
    private_jwk: JSON.stringify(await exportJWK(privateKey)),
    public_jwk: JSON.stringify({ ...publicJwk, kid, alg, use: 'sig' }),
    created_at: now,
    signs_from: signsFrom,
    retired_at: null,
    published_until: null,
  };
}

/**
 * Signs and verifies the provider's JWTs with keys from the database.
 * @example
 * const idToken = await services.signingKeys.sign({ sub, aud, exp }, { alg: 'RS256' });
 * const claims = await services.signingKeys.verify(accessToken, { typ: 'at+jwt' });
 */
export class SigningKeys {
  readonly #options: SigningKeysOptions;
  #cache: { loadedAt: number; keys: Promise<LoadedKey[]> } | null = null;
  readonly #creating = new Map<SigningAlg, Promise<void>>();

  constructor(options: SigningKeysOptions) {
    this.#options = options;
  }

  /** How long a rotated-in key waits before it signs, in ms. */
  get rotationDelayMs(): number {
    return this.#options.rotationDelayMs;
  }

  /**
   * Signs `payload` with the current key of `alg` (creating the first key of an alg when none
   * exists), setting `iss`, and `iat` unless the caller set it (callers that compute `exp` from their own
   * clock reading set `iat` from the same one, so `exp - iat` is exactly the lifetime they advertise
   * even when a second ticks over while the key loads). `exp` is required and at most {@link MAX_SIGNED_TOKEN_LIFETIME_S}
   * ahead: a retired key stays published only that long.
   * @throws {Error} when `exp` is missing, past, or too far ahead
   */
  async sign(payload: JWTPayload, options: { alg: SigningAlg; typ?: string }): Promise<string> {
    const now = this.#options.now();
    const nowS = Math.floor(now / 1000);
    if (typeof payload.exp !== 'number' || payload.exp <= nowS || payload.exp > nowS + MAX_SIGNED_TOKEN_LIFETIME_S) {
      throw new Error(`A signed token needs an exp within ${MAX_SIGNED_TOKEN_LIFETIME_S} s from now, got ${String(payload.exp)}`);
    }
    const key = await this.#signer(options.alg);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: options.alg, kid: key.row.kid, typ: options.typ ?? DEFAULT_TYP })
      .setIssuer(this.#options.issuer)
      .setIssuedAt(typeof payload.iat === 'number' ? payload.iat : nowS)
      .sign(await key.privateKey());
  }

  /**
   * Verifies a token signed by a published key: signature, `alg` of that key, `typ` (default
   * `JWT`), `iss`, `exp` (unless `acceptExpired`), and `aud` when given.
   * @param options.acceptExpired for an `id_token_hint` at logout, which may have expired (RP-Initiated Logout §2)
   * @throws {InvalidTokenError} for anything wrong
   */
  async verify(token: string, options: { typ?: string; audience?: string; acceptExpired?: boolean } = {}): Promise<JWTPayload> {
    const now = this.#options.now();
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new InvalidTokenError('Not a JWT');
    }
    const key = (await this.#published(now)).find((candidate) => candidate.row.kid === kid);
    if (!key) throw new InvalidTokenError(`Unknown or withdrawn signing key "${String(kid)}"`);
    try {
      const { payload } = await jwtVerify(token, await key.publicKey(), {
        algorithms: [key.row.alg],
        typ: options.typ ?? DEFAULT_TYP,
        issuer: this.#options.issuer,
        audience: options.audience,
        requiredClaims: ['exp', 'iat'],
        currentDate: new Date(options.acceptExpired ? Math.min(now, expiryMoment(token)) : now),
      });
      return payload;
    } catch (error) {
      throw new InvalidTokenError((error as Error).message);
    }
  }

  /** The published public keys (next, signing and retired), as `/auth/oidc/jwks` serves them. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const now = this.#options.now();
    await this.ensureKey('RS256');
    return { keys: (await this.#published(now)).map((key) => key.publicJwk) };
  }

  /** Every key not yet swept, newest first: public facts only. */
  async list(): Promise<SigningKeyInfo[]> {
    const now = this.#options.now();
    return (await this.#keys(now)).map((key) => keyInfo(key.row, now));
  }

  /**
   * Creates a new key of `alg`: published at once, signing after the rotation delay (at once if it
   * is the first of its alg); the keys it replaces sign until then and stay published for the
   * longest token lifetime after. Recorded in the audit log.
   */
  async rotate(alg: SigningAlg, actor: KeyRotationActor): Promise<SigningKeyInfo> {
    const now = this.#options.now();
    const { db } = this.#options;
    const key = await db.transaction().execute(async (trx) => {
      const { signsFrom, publishedUntil } = rotationSchedule(now, this.#options.rotationDelayMs, !(await hasSigningKey(trx, alg)));
      const row = await generateSigningKey(alg, now, signsFrom);
      const retired = await retireSigningKeys(trx, alg, signsFrom, publishedUntil);
      await insertSigningKey(trx, row);
      await recordAudit(trx, { action: 'oidc_key_rotated', actorUserId: actor.userId, target: row.kid, ip: actor.ip, detail: { alg, kid: row.kid, signsFrom, retired } }, now);
      return row;
    });
    this.#changed();
    return keyInfo(key, now);
  }

  /** Creates the first key of `alg` if there is none (RS256 at start-up; others when first needed). */
  async ensureKey(alg: SigningAlg): Promise<void> {
    const now = this.#options.now();
    if ((await this.#keys(now)).some((key) => key.row.alg === alg)) return;
    let creating = this.#creating.get(alg);
    if (!creating) {
      creating = this.#createFirst(alg).finally(() => this.#creating.delete(alg));
      this.#creating.set(alg, creating);
    }
    await creating;
  }

  /** Deletes keys that have left the JWKS (the hourly sweep). @returns how many. */
  async deleteExpired(): Promise<number> {
    const deleted = await deleteUnpublishedSigningKeys(this.#options.db, this.#options.now());
    if (deleted > 0) this.#changed();
    return deleted;
  }

  async #createFirst(alg: SigningAlg): Promise<void> {
    const now = this.#options.now();
    const row = await generateSigningKey(alg, now, now);
    await this.#options.db.transaction().execute(async (trx) => {
      if (!(await hasSigningKey(trx, alg))) await insertSigningKey(trx, row);
    });
    this.#changed();
  }

  /** Reads the keys from the database on next use (another instance changed them). */
  reload(): void {
    this.#cache = null;
  }

  #changed(): void {
    this.#cache = null;
    this.#options.onChanged?.();
  }

  async #signer(alg: SigningAlg): Promise<LoadedKey> {
    // The clock is read anew: a key created meanwhile signs from its creation, after the caller's start.
    const find = async () => {
      const now = this.#options.now();
      const keys = await this.#keys(now);
      const row = signerOf(keys.map((key) => key.row), alg, now);
      return keys.find((key) => key.row === row);
    };
    let key = await find();
    if (!key) {
      await this.ensureKey(alg);
      key = await find();
    }
    if (!key) throw new Error(`No ${alg} signing key is active`);
    return key;
  }

  async #published(now: number): Promise<LoadedKey[]> {
    return (await this.#keys(now)).filter((key) => isPublished(key.row, now));
  }

  #keys(now: number): Promise<LoadedKey[]> {
    if (!this.#cache || now - this.#cache.loadedAt >= KEY_CACHE_TTL_MS || now < this.#cache.loadedAt) {
      const keys = listSigningKeys(this.#options.db).then((rows) => rows.map(loadKey));
      // A failed read is not cached: the next call tries again.
      keys.catch(() => (this.#cache = null));
      this.#cache = { loadedAt: now, keys };
    }
    return this.#cache.keys;
  }
}
