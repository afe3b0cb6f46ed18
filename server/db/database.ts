/**
 * Opens the SQLite database (WAL, foreign keys on) and brings its schema up
 * to date. The only module that knows the dialect.
 */
import BetterSqlite3 from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { Kysely, Migrator, SqliteDialect, type Logger, type Migration, type MigrationProvider, type SqliteDatabase } from 'kysely';
import type { Database } from './schema.js';
import { initial } from './migrations/001_initial.js';
import { userVerificationRequired } from './migrations/002_userVerificationRequired.js';
import { emailAndUsername } from './migrations/003_email_and_username.js';
import { passkeyNames } from './migrations/004_passkeyNames.js';
import { resetTokenIds } from './migrations/005_resetTokenIds.js';
import { defaultRole } from './migrations/006_defaultRole.js';
import { SEARCH_FOLD_SQL, foldForSearch } from './searchFold.js';
import { oidcSigningKeys } from './migrations/007_oidcSigningKeys.js';
import { oidcClientsAndGrants } from './migrations/008_oidcClientsAndGrants.js';
import { orgApiKeys } from './migrations/010_orgApiKeys.js';

/** Numbered migrations, listed in code so that the built `dist/` needs no directory scan. */
const MIGRATIONS = {
  '001_initial': initial,
  '002_user_verification_required': userVerificationRequired,
  '003_email_and_username': emailAndUsername,
  '004_passkey_names': passkeyNames,
  '005_reset_token_ids': resetTokenIds,
  '006_default_role': defaultRole,
  '007_oidc_signing_keys': oidcSigningKeys,
  '008_oidc_clients_and_grants': oidcClientsAndGrants,
  '010_org_api_keys': orgApiKeys,
} satisfies Record<string, Migration>;

/** A migration's name, as recorded in the database. */
export type MigrationName = keyof typeof MIGRATIONS;

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Distinct SQL texts kept prepared; the app has a few hundred at most, so this bound only guards against surprises. */
const MAX_STATEMENTS = 1000;

/**
 * The connection as kysely sees it, with prepared statements reused by SQL text:
 * kysely prepares every query anew, which profiling showed as the largest single cost
 * of a simple API request. Safe because nothing streams (a statement mid-iteration
 * could not be reused) and better-sqlite3 re-prepares statements after schema changes.
 */
function reusingStatements(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const statements = new LRUCache<string, BetterSqlite3.Statement>({ max: MAX_STATEMENTS });
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

export interface OpenDatabase {
  db: Kysely<Database>;
  /** The raw connection, for the few prepared statements on the forward-auth hot path. */
  sqlite: BetterSqlite3.Database;
  /** Moves the WAL's content into the database file, empties the WAL, and closes. */
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the database at `path` and applies pending migrations.
 * @param observe told of every query through kysely, with its duration, and of every failed one (the metrics)
 * @throws when the file cannot be opened or a migration fails; nothing is left half-applied.
 */
export async function openDatabase(path: string, observe?: Logger): Promise<OpenDatabase> {
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.function(SEARCH_FOLD_SQL, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? foldForSearch(text) : null));
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(sqlite) }), ...(observe ? { log: observe } : {}) });
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    await db.destroy();
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`);
  }
  const close = () => {
    // SQLite checkpoints when its last connection closes, but not while another one (a running
    // backup) is open: checkpoint here, so that the database file alone holds every write.
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return db.destroy();
  };
  return { db, sqlite, close };
}

/**
 * Undoes every migration after `name`, newest first (kysely skips those without `down`), as
 * the version that ended with `name` left the database: for tests of an upgrade.
 * @throws when a `down` fails
 */
export async function migrateDownTo(db: Kysely<Database>, name: MigrationName): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateTo(name);
  if (error) throw error;
}

/** Checks that the database answers; for the health endpoint. */
export function databaseIsHealthy(sqlite: BetterSqlite3.Database): boolean {
  try {
    return sqlite.prepare('select 1 as ok').get() !== undefined;
  } catch {
    return false;
  }
}
