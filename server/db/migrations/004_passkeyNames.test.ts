import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrateDownTo, openDatabase } from '../database.js';
import { createEmptyDatabase, type TestDatabase } from '../../testing/testDatabase.js';
import { bootstrap } from '../../bootstrap/bootstrap.js';
import { insertCredential, listCredentialsOfUser } from '../credentials.js';

const NOW = Date.parse('2026-11-30T09:00:00Z');
const UNKNOWN = '00000000-0000-0000-0000-000000000000';
const GOOGLE = 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4';
let empty: TestDatabase;

beforeEach(async () => {
  empty = await createEmptyDatabase();
});
afterEach(() => empty.remove());

it('names the passkeys that existed before, distinct within each person, in the order they were added', async () => {
  const path = empty.location;
  const before = await openDatabase(path);
  await bootstrap(before.db, NOW);
  const userId = (await before.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
  const passkeys: [string, string][] = [['c1', UNKNOWN], ['c2', GOOGLE], ['c3', UNKNOWN], ['c4', GOOGLE]];
  for (const [index, [id, aaguid]] of passkeys.entries()) {
    await insertCredential(before.db, {
      id, user_id: userId, credential_id: Buffer.from(id), public_key: new Uint8Array(1), sign_count: 0, transports: '[]',
      aaguid, name: '', backup_eligible: 0, backup_state: 0, created_at: NOW + index, last_used_at: null,
    });
  }
  // The database as the version before this migration left it: later migrations undone, this one forgotten.
  await migrateDownTo(before, '003_email_and_username');
  await before.close();

  const after = await openDatabase(path);
  try {
    const names = (await listCredentialsOfUser(after.db, userId)).map((credential) => [credential.id, credential.name]);
    expect(names).toEqual([['c1', 'Passkey'], ['c2', 'Google Password Manager'], ['c3', 'Passkey (2)'], ['c4', 'Google Password Manager (2)']]);
  } finally {
    await after.close();
  }
});
