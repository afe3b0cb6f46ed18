import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrateDownTo, openDatabase } from '../database.js';
import { createEmptyDatabase, type TestDatabase } from '../../testing/testDatabase.js';
import { bootstrap } from '../../bootstrap/bootstrap.js';
import { findLiveResetToken, insertResetToken, listLiveResetTokensOfUser } from '../resetTokens.js';
import { hashResetToken } from '../../crypto/tokens.js';

const NOW = Date.parse('2026-11-30T09:00:00Z');
let empty: TestDatabase;

beforeEach(async () => {
  empty = await createEmptyDatabase();
});
afterEach(() => empty.remove());

it('gives the links that existed before an id each, and they keep working', async () => {
  const path = empty.location;
  const before = await openDatabase(path);
  const { token } = await bootstrap(before.db, NOW);
  const userId = (await before.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
  await insertResetToken(before.db, { tokenHash: hashResetToken('abandon.ability.able.about.above'), userId, kind: 'reset', expiresAt: NOW + 1000 }, NOW);
  // The database as the version before this migration left it.
  await migrateDownTo(before, '004_passkey_names');
  await before.close();

  const after = await openDatabase(path);
  try {
    const ids = (await listLiveResetTokensOfUser(after.db, userId, NOW)).map((link) => link.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(await findLiveResetToken(after.db, hashResetToken(token!), NOW)).toBeDefined();
  } finally {
    await after.close();
  }
});
