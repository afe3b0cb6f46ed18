/** Upgrading to required user verification: earlier passkey uses no longer count as recent. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrateDownTo, openDatabase } from '../database.js';
import { createEmptyDatabase, type TestDatabase } from '../../testing/testDatabase.js';
import { bootstrap } from '../../bootstrap/bootstrap.js';
import { insertCredential } from '../credentials.js';
import { isRecentAuth, SessionService } from '../../sessions/sessions.js';

const NOW = Date.UTC(2026, 0, 1);
let empty: TestDatabase;

beforeEach(async () => {
  empty = await createEmptyDatabase();
});
afterEach(() => empty.remove());

it('counts no passkey use recorded before the upgrade as a recent authentication', async () => {
  const path = empty.location;
  const before = await openDatabase(path);
  await bootstrap(before.db, NOW);
  const userId = (await before.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
  await insertCredential(before.db, {
    id: 'c1', user_id: userId, credential_id: Buffer.from('c1'), public_key: new Uint8Array(1), sign_count: 0, transports: '[]',
    aaguid: '00000000-0000-0000-0000-000000000000', name: 'c1', backup_eligible: 0, backup_state: 0, created_at: NOW, last_used_at: null,
  });
  const code = { code_hash: new Uint8Array(32), user_id: userId, credential_id: 'c1', host: 'app.example.com', ip: '192.0.2.1', user_agent: 'test', authenticated_at: NOW, expires_at: NOW + 60_000 };
  const { token } = await new SessionService(before.db, () => NOW).create(code, NOW);
  // A session signed in (perhaps with a bare touch) by the version before this migration: later migrations undone, this one forgotten.
  await migrateDownTo(before, '001_initial');
  await before.close();

  const after = await openDatabase(path);
  try {
    const session = await new SessionService(after.db, () => NOW).fromToken(token, 'app.example.com', NOW);
    expect(session).not.toBeNull();
    expect(isRecentAuth(session!, NOW)).toBe(false);
  } finally {
    await after.close();
  }
});
