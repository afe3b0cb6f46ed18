/**
 * The statements of a passkey sign-in, prepared once per database rather than built by kysely:
 * a sign-in is one lookup of the passkey with its owner, then its use recorded (with the exchange
 * code of a WebSocket sign-in, in the same transaction: one commit). Profiling sign-ins under load
 * showed the four kysely statements they took (each built, compiled and run; two commits) as 14 %
 * of the server's time per sign-in; this way their database work costs a third of that CPU time
 * (docs/benchmarks.md). Like server/db/identity.ts: plain SQL with each dialect's parameters;
 * on SQLite synchronous better-sqlite3 statements, on PostgreSQL named statements. Not counted in
 * the query-builder metrics (docs/operations.md).
 */
import type pg from 'pg';
import type { Bytes, ExchangeCode, User } from './schema.js';
import type { OpenDatabase } from './database.js';
import type { MaybePromise } from './identity.js';

/** A passkey as a sign-in checks it, with the person it belongs to. */
export interface SignInPasskey {
  /** Our id of the passkey (a UUID). */
  id: string;
  public_key: Bytes;
  sign_count: number;
  backup_eligible: number;
  owner: User;
}

/** A verified use of a passkey, to record. */
export interface PasskeyUse {
  /** Our id of the passkey. */
  passkeyId: string;
  /** The signature counter the use was checked against (what the lookup read). */
  checkedSignCount: number;
  /** The counter the authenticator sent. */
  signCount: number;
  backupState: boolean;
  at: number;
}

export interface SignInQueries {
  /** The passkey with this authenticator credential ID, and its owner. */
  findPasskey(credentialId: Bytes): MaybePromise<SignInPasskey | undefined>;
  /**
   * Records a use: the new counter, backup state and time, only if the stored counter is still the
   * one the use was checked against. False when it is not: another sign-in with this passkey was
   * recorded meanwhile (of two answers with the same counter, e.g. from a cloned key, one passes).
   */
  recordUse(use: PasskeyUse): MaybePromise<boolean>;
  /** {@link recordUse} and, in the same transaction, the exchange code; false (and no code) when the use is refused. */
  recordUseAndIssueCode(use: PasskeyUse, code: ExchangeCode): MaybePromise<boolean>;
}

type Param = (n: number) => string;

/** The passkey's columns, then its owner's, the owner's id as `user_id`. */
type SignInPasskeyRow = Omit<SignInPasskey, 'owner'> & Omit<User, 'id'> & { user_id: string };

const FIND_PASSKEY_SQL = (param: Param) => `
    select c.id, c.public_key, c.sign_count, c.backup_eligible,
           u.id as user_id, u.display_name, u.org_id, u.role_id, u.created_at, u.last_seen_at, u.email, u.email_verified, u.username
    from credentials c
    join users u on u.id = c.user_id
    where c.credential_id = ${param(1)}`;
/** Parameters 1–5, in the order of {@link useValues}. */
const RECORD_USE_SQL = (param: Param) => `
    update credentials set sign_count = ${param(1)}, backup_state = ${param(2)}, last_used_at = ${param(3)}
    where id = ${param(4)} and sign_count = ${param(5)}`;
const CODE_COLUMNS = 'code_hash, user_id, credential_id, host, ip, user_agent, authenticated_at, expires_at';

const useValues = (use: PasskeyUse) => [use.signCount, use.backupState ? 1 : 0, use.at, use.passkeyId, use.checkedSignCount] as const;
const codeValues = (code: ExchangeCode) =>
  [code.code_hash, code.user_id, code.credential_id, code.host, code.ip, code.user_agent, code.authenticated_at, code.expires_at] as const;

function signInPasskey(row: SignInPasskeyRow): SignInPasskey {
  const { id, public_key, sign_count, backup_eligible, user_id, ...person } = row;
  return { id, public_key, sign_count, backup_eligible, owner: { id: user_id, ...person } };
}

/** Statements are prepared once per open database (and, on PostgreSQL, once per pooled connection). */
const prepared = new WeakMap<OpenDatabase, SignInQueries>();

/** The sign-in statements of `database`. */
export function signInQueries(database: OpenDatabase): SignInQueries {
  let queries = prepared.get(database);
  if (!queries) {
    queries = database.dialect === 'sqlite' ? sqliteSignInQueries(database) : postgresSignInQueries(database.pool);
    prepared.set(database, queries);
  }
  return queries;
}

function sqliteSignInQueries(database: Extract<OpenDatabase, { dialect: 'sqlite' }>): SignInQueries {
  const { sqlite, db } = database;
  const param = () => '?';
  const find = sqlite.prepare<[Bytes], SignInPasskeyRow>(FIND_PASSKEY_SQL(param));
  const recordUse = sqlite.prepare(RECORD_USE_SQL(param));
  const insertCode = sqlite.prepare(`insert into exchange_codes (${CODE_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?)`);
  const recordUseAndIssueCode = sqlite.transaction((use: PasskeyUse, code: ExchangeCode) => {
    if (recordUse.run(...useValues(use)).changes === 0) return false;
    insertCode.run(...codeValues(code));
    return true;
  });
  /**
   * These statements run on the connection kysely shares, without its lock. At once, when no
   * transaction is open on it: they then finish before any other code runs. Otherwise a kysely
   * transaction is between two of its statements: wait for its end through kysely's lock, so that
   * a sign-in neither reads that transaction's uncommitted writes nor becomes part of it.
   */
  const alone = <T>(run: () => T): MaybePromise<T> => (sqlite.inTransaction ? db.connection().execute(async () => run()) : run());
  return {
    findPasskey: (credentialId) =>
      alone(() => {
        const row = find.get(credentialId);
        return row && signInPasskey(row);
      }),
    recordUse: (use) => alone(() => recordUse.run(...useValues(use)).changes === 1),
    recordUseAndIssueCode: (use, code) => alone(() => recordUseAndIssueCode(use, code)),
  };
}

function postgresSignInQueries(pool: pg.Pool): SignInQueries {
  const param = (n: number) => `$${n}`;
  const find = { name: 'sign_in_passkey', text: FIND_PASSKEY_SQL(param) };
  const recordUse = { name: 'record_passkey_use', text: RECORD_USE_SQL(param) };
  // One statement, so one transaction: no code unless the update matched. The casts type the
  // parameters, which a select list alone leaves as text.
  const recordUseAndIssueCode = {
    name: 'record_passkey_use_and_issue_code',
    text: `with used as (${RECORD_USE_SQL(param)} returning id)
      insert into exchange_codes (${CODE_COLUMNS})
      select $6::bytea, $7::text, $8::text, $9::text, $10::text, $11::text, $12::bigint, $13::bigint from used`,
  };
  return {
    findPasskey: async (credentialId) => {
      const row = (await pool.query<SignInPasskeyRow>({ ...find, values: [credentialId] })).rows[0];
      return row && signInPasskey(row);
    },
    recordUse: async (use) => (await pool.query({ ...recordUse, values: [...useValues(use)] })).rowCount === 1,
    recordUseAndIssueCode: async (use, code) =>
      (await pool.query({ ...recordUseAndIssueCode, values: [...useValues(use), ...codeValues(code)] })).rowCount === 1,
  };
}
