/**
 * Queries on organisation API keys. A key is found by its lookup id (server/apikeys/apiKeySecret.ts);
 * revoking sets `revoked_at` in one conditional statement and keeps the row for the list and the log.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Bytes, Database, OrgApiKey } from './schema.js';

type Db = Kysely<Database>;

/** `last_used_at` is written at most this often per key, so a busy backend does not write on every call. */
export const LAST_USED_GRANULARITY_MS = 60_000;

export interface NewOrgApiKey {
  orgId: string;
  name: string;
  lookupId: string;
  secretHash: Bytes;
  createdBy: string | null;
  expiresAt: number | null;
}

/** A key as it may be listed: never its hash. */
export type OrgApiKeyListing = Omit<OrgApiKey, 'secret_hash' | 'lookup_id'>;

const LISTED = ['id', 'org_id', 'name', 'created_by', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'] as const;

export async function insertOrgApiKey(db: Db, values: NewOrgApiKey, now: number): Promise<OrgApiKeyListing> {
  const row: OrgApiKey = {
    id: uuidv7(),
    org_id: values.orgId,
    name: values.name,
    lookup_id: values.lookupId,
    secret_hash: values.secretHash,
    created_by: values.createdBy,
    created_at: now,
    expires_at: values.expiresAt,
    revoked_at: null,
    last_used_at: null,
  };
  await db.insertInto('org_api_keys').values(row).execute();
  const { secret_hash: _hash, lookup_id: _lookup, ...listing } = row;
  return listing;
}

/** The organisation's keys, newest first, revoked and expired ones included (an admin sees what lapsed). */
export async function listOrgApiKeys(db: Db, orgId: string): Promise<OrgApiKeyListing[]> {
  return db.selectFrom('org_api_keys').select(LISTED).where('org_id', '=', orgId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export async function findOrgApiKeyByLookupId(db: Db, lookupId: string): Promise<OrgApiKey | undefined> {
  return db.selectFrom('org_api_keys').selectAll().where('lookup_id', '=', lookupId).executeTakeFirst();
}

/** Revokes a live key of the organisation; true when this call revoked it. */
export async function revokeOrgApiKey(db: Db, orgId: string, id: string, now: number): Promise<boolean> {
  const result = await db.updateTable('org_api_keys').set({ revoked_at: now }).where('id', '=', id).where('org_id', '=', orgId).where('revoked_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records a use, unless one was recorded within {@link LAST_USED_GRANULARITY_MS}. */
export async function recordOrgApiKeyUse(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable('org_api_keys')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', now - LAST_USED_GRANULARITY_MS)]))
    .execute();
}

/** Whether a key counts at `now`: not revoked, not expired. */
export function isApiKeyLive(key: Pick<OrgApiKey, 'revoked_at' | 'expires_at'>, now: number): boolean {
  return key.revoked_at === null && (key.expires_at === null || key.expires_at > now);
}
