/** The REST ceremonies' challenges against a real database (SQLite, or PostgreSQL: server/testing/postgres.ts): one statement consumes a key, once, and only while live and of its kind. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from './database.js';
import { openTestDatabase } from '../testing/testDatabase.js';
import { consumePasskeyChallenge, deleteExpiredPasskeyChallenges, insertPasskeyChallenge } from './passkeyChallenges.js';
import { hashSecret } from '../crypto/tokens.js';

const NOW = Date.UTC(2026, 10, 30);
const KEY = hashSecret('key');
let database: OpenDatabase;

beforeEach(async () => {
  database = await openTestDatabase();
  await insertPasskeyChallenge(database.db, { key_hash: KEY, kind: 'authenticate', challenge: 'c', host: 'auth.example.com', user_id: null, client_id: null, scope: null, expires_at: NOW + 1000 });
});
afterEach(() => database.close());

describe('passkey challenges', () => {
  it('are consumed once, even by consumers racing each other', async () => {
    const takes = await Promise.all(Array.from({ length: 4 }, () => consumePasskeyChallenge(database.db, KEY, 'authenticate', NOW)));
    expect(takes.filter(Boolean)).toHaveLength(1);
    expect(takes.find(Boolean)).toMatchObject({ challenge: 'c', host: 'auth.example.com' });
  });

  it('are not consumed as the other kind, nor once expired', async () => {
    expect(await consumePasskeyChallenge(database.db, KEY, 'register', NOW)).toBeUndefined();
    expect(await consumePasskeyChallenge(database.db, KEY, 'authenticate', NOW + 1000)).toBeUndefined();
  });

  it('are swept once expired', async () => {
    await deleteExpiredPasskeyChallenges(database.db, NOW + 999);
    await deleteExpiredPasskeyChallenges(database.db, NOW + 1000);
    expect(await database.db.selectFrom('passkey_challenges').selectAll().execute()).toEqual([]);
  });
});
