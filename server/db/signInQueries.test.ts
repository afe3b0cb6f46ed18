/** A sign-in's prepared statements against a real database (SQLite, or PostgreSQL: server/testing/postgres.ts). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from './database.js';
import type { ExchangeCode, User } from './schema.js';
import { openTestDatabase } from '../testing/testDatabase.js';
import { signInQueries, type PasskeyUse } from './signInQueries.js';
import { insertOrg } from './orgs.js';
import { insertUser } from './people.js';
import { insertCredential } from './credentials.js';
import { hashSecret } from '../crypto/tokens.js';

const NOW = Date.UTC(2026, 10, 30);
const CREDENTIAL_ID = Buffer.from('authenticator credential id');
let database: OpenDatabase;
let owner: User;

beforeEach(async () => {
  database = await openTestDatabase();
  const { org, defaultRole } = await insertOrg(database.db, 'Org', NOW);
  owner = await insertUser(database.db, { displayName: 'Ada', orgId: org.id, roleId: defaultRole.id, email: 'ada@example.com' }, NOW);
  await insertCredential(database.db, {
    id: 'passkey-1', user_id: owner.id, credential_id: CREDENTIAL_ID, public_key: Buffer.from('cose key'), sign_count: 5, transports: '[]',
    aaguid: '00000000-0000-0000-0000-000000000000', name: 'Phone', backup_eligible: 1, backup_state: 0, created_at: NOW, last_used_at: null,
  });
});
afterEach(() => database.close());

const use = (values: Partial<PasskeyUse> = {}): PasskeyUse => ({ passkeyId: 'passkey-1', checkedSignCount: 5, signCount: 6, backupState: true, at: NOW + 1, ...values });
const code = (secret: string): ExchangeCode => ({
  code_hash: hashSecret(secret), user_id: owner.id, credential_id: 'passkey-1', host: 'app.example.com', ip: '192.0.2.1', user_agent: 'test',
  authenticated_at: NOW + 1, expires_at: NOW + 60_001,
});
const storedUse = () => database.db.selectFrom('credentials').select(['sign_count', 'backup_state', 'last_used_at']).where('id', '=', 'passkey-1').executeTakeFirstOrThrow();
const storedCodes = async () => (await database.db.selectFrom('exchange_codes').select('code_hash').execute()).map((row) => Buffer.from(row.code_hash));

describe('a sign-in', () => {
  it('finds the passkey with its owner by the authenticator credential ID', async () => {
    const queries = signInQueries(database);
    expect(await queries.findPasskey(CREDENTIAL_ID)).toEqual({ id: 'passkey-1', public_key: Buffer.from('cose key'), sign_count: 5, backup_eligible: 1, owner });
    expect(await queries.findPasskey(Buffer.from('another id'))).toBeUndefined();
  });

  it('records a use only against the counter it was checked against: of two with the same counter one passes', async () => {
    const queries = signInQueries(database);
    expect((await Promise.all([queries.recordUse(use()), queries.recordUse(use())])).sort()).toEqual([false, true]);
    expect(await storedUse()).toEqual({ sign_count: 6, backup_state: 1, last_used_at: NOW + 1 });
    // A use checked against a counter that has moved on would set it back.
    expect(await queries.recordUse(use({ checkedSignCount: 5, signCount: 7 }))).toBe(false);
    expect(await queries.recordUse(use({ checkedSignCount: 6, signCount: 7 }))).toBe(true);
  });

  it('records the use and its exchange code together, or neither', async () => {
    const queries = signInQueries(database);
    expect(await queries.recordUseAndIssueCode(use(), code('first'))).toBe(true);
    expect(await queries.recordUseAndIssueCode(use(), code('second'))).toBe(false);
    expect(await storedCodes()).toEqual([hashSecret('first')]);
    expect(await storedUse()).toEqual({ sign_count: 6, backup_state: 1, last_used_at: NOW + 1 });
  });

  it('is recorded apart from a transaction that another request has open meanwhile', async () => {
    const queries = signInQueries(database);
    let recorded: Promise<boolean> | undefined;
    const failing = database.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ display_name: 'Renamed' }).where('id', '=', owner.id).execute();
      recorded = Promise.resolve(queries.recordUseAndIssueCode(use(), code('first')));
      throw new Error('rolled back');
    });
    await expect(failing).rejects.toThrow('rolled back');
    expect(await recorded).toBe(true);
    expect(await storedCodes()).toEqual([hashSecret('first')]);
    expect(await storedUse()).toMatchObject({ sign_count: 6 });
    expect((await queries.findPasskey(CREDENTIAL_ID))?.owner.display_name).toBe('Ada');
  });
});
