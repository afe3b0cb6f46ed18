/** Queries on the OpenID provider's signing keys (the only module that reads or writes their table). */
import type { Kysely } from 'kysely';
import type { Database, OidcSigningKey } from './schema.js';
import type { SigningAlg } from '../../shared/oidc.js';

type Db = Kysely<Database>;

/** Every stored key, private halves included: for server/oidc/signingKeys.ts only. */
export function listSigningKeys(db: Db): Promise<OidcSigningKey[]> {
  return db.selectFrom('oidc_signing_keys').selectAll().orderBy('signs_from', 'desc').execute();
}

/** Whether a key of `alg` exists at all. */
export async function hasSigningKey(db: Db, alg: SigningAlg): Promise<boolean> {
  return (await db.selectFrom('oidc_signing_keys').select('kid').where('alg', '=', alg).limit(1).executeTakeFirst()) !== undefined;
}

export async function insertSigningKey(db: Db, key: OidcSigningKey): Promise<void> {
  await db.insertInto('oidc_signing_keys').values(key).execute();
}

/**
 * Schedules the end of every key of `alg` that has no successor yet: it signs until `retiredAt`
 * and stays published until `publishedUntil`. @returns the kids it retired.
 */
export async function retireSigningKeys(db: Db, alg: SigningAlg, retiredAt: number, publishedUntil: number): Promise<string[]> {
  const rows = await db
    .updateTable('oidc_signing_keys')
    .set({ retired_at: retiredAt, published_until: publishedUntil })
    .where('alg', '=', alg)
    .where('retired_at', 'is', null)
    .returning('kid')
    .execute();
  return rows.map((row) => row.kid);
}

/** Deletes keys that have left the JWKS; @returns how many. */
export async function deleteUnpublishedSigningKeys(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom('oidc_signing_keys').where('published_until', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
