/**
 * Opens the database, SQLite (WAL, foreign keys on) or PostgreSQL, and brings its schema up
 * to date. With server/db/postgres.ts and ddl.ts, the only place that knows the dialect.
 */
import BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { LRUCache } from 'lru-cache';
import { Kysely, Migrator, SqliteDialect, type Logger, type Migration, type MigrationProvider, type SqliteDatabase } from 'kysely';
import type { Database } from './schema.js';
import { parseDatabaseLocation, type DatabaseLocation } from '../config.js';
import { PostgresDdlPlugin } from './ddl.js';
import { initial } from './migrations/001_initial.js';
import { userVerificationRequired } from './migrations/002_userVerificationRequired.js';
import { emailAndUsername } from './migrations/003_email_and_username.js';
import { passkeyNames } from './migrations/004_passkeyNames.js';
import { resetTokenIds } from './migrations/005_resetTokenIds.js';
import { defaultRole } from './migrations/006_defaultRole.js';
import { SEARCH_FOLD_SQL, foldForSearch } from './searchFold.js';
import { oidcSigningKeys } from './migrations/007_oidcSigningKeys.js';
import { oidcClientsAndGrants } from './migrations/008_oidcClientsAndGrants.js';
import { oidcLogoutDeliveries } from './migrations/009_oidcLogoutDeliveries.js';
import { orgApiKeys } from './migrations/010_orgApiKeys.js';
import { passkeyChallenges } from './migrations/011_passkeyChallenges.js';
import { searchFoldOnPostgres } from './migrations/012_searchFoldOnPostgres.js';

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
  '009_oidc_logout_deliveries': oidcLogoutDeliveries,
  '010_org_api_keys': orgApiKeys,
  '011_passkey_challenges': passkeyChallenges,
  '012_search_fold_on_postgres': searchFoldOnPostgres,
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

interface OpenDatabaseBase {
  db: Kysely<Database>;
  /** Moves SQLite's WAL into the database file and closes; on PostgreSQL, closes the pool's connections. */
  close(): Promise<void>;
}

/** An open database; the raw connection of each dialect is there for the few places that need it. */
export type OpenDatabase =
  | (OpenDatabaseBase & {
      dialect: 'sqlite';
      /** The raw connection, for the few prepared statements on the forward-auth hot path. */
      sqlite: BetterSqlite3.Database;
    })
  | (OpenDatabaseBase & {
      dialect: 'postgres';
      /** The pool kysely queries through: for the forward-auth hot path, and for LISTEN/NOTIFY (a client of its own from `url`). */
      pool: pg.Pool;
      /** The connection URL as configured (it may carry a password: print it with describeDatabase). */
      url: string;
    });

export interface OpenDatabaseOptions {
  /** Told of every query through kysely, with its duration, and of every failed one (the metrics). */
  observe?: Logger;
  /** PostgreSQL: told when an idle pooled connection fails (the server restarted); the pool replaces it. */
  onIdleError?: (error: Error) => void;
}

/**
 * Opens the database (creating an SQLite file if needed) and applies pending migrations.
 * On PostgreSQL, instances starting together take turns (kysely's migrator holds an advisory lock)
 * and all pending migrations apply in one transaction.
 * @param location an SQLite file path or `postgres://` URL as `--db` takes it, or a parsed location
 * @throws when the database cannot be opened or a migration fails; nothing is left half-applied.
 */
export async function openDatabase(location: DatabaseLocation | string, options: OpenDatabaseOptions = {}): Promise<OpenDatabase> {
  const where = typeof location === 'string' ? parseDatabaseLocation(location) : location;
  const log = options.observe ? { log: options.observe } : {};
  let database: OpenDatabase;
  let migrationDb: Kysely<Database>;
  if (where.kind === 'sqlite') {
    const sqlite = openSqlite(where.path);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(sqlite) }), ...log });
    const close = () => {
      // SQLite checkpoints when its last connection closes, but not while another one (a running
      // backup) is open: checkpoint here, so that the database file alone holds every write.
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      return db.destroy();
    };
    database = { dialect: 'sqlite', db, sqlite, close };
    migrationDb = db;
  } else {
    // Loaded here only: an SQLite instance never loads the PostgreSQL driver.
    const { createPool, postgresDialect } = await import('./postgresPool.js');
    const pool = createPool(where.url, options.onIdleError ?? (() => {}));
    // kysely ends the pool on destroy.
    const db = new Kysely<Database>({ dialect: postgresDialect(pool), ...log });
    database = { dialect: 'postgres', db, pool, url: where.url, close: () => db.destroy() };
    migrationDb = db.withPlugin(new PostgresDdlPlugin());
  }
  const { error, results } = await new Migrator({ db: migrationDb, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    await database.db.destroy();
    const reason = (error as Error).message ?? String(error);
    // No failed migration: the database was never reached (PostgreSQL down, wrong address or password).
    throw new Error(failed ? `database migration ${failed.migrationName} failed: ${reason}` : `cannot open the database: ${reason}`);
  }
  return database;
}

function openSqlite(path: string): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.function(SEARCH_FOLD_SQL, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? foldForSearch(text) : null));
  return sqlite;
}

/**
 * Undoes every migration after `name`, newest first (kysely skips those without `down`), as
 * the version that ended with `name` left the database: for tests of an upgrade.
 * @throws when a `down` fails
 */
export async function migrateDownTo(database: OpenDatabase, name: MigrationName): Promise<void> {
  const db = database.dialect === 'postgres' ? database.db.withPlugin(new PostgresDdlPlugin()) : database.db;
  const { error } = await new Migrator({ db, provider }).migrateTo(name);
  if (error) throw error;
}

/** Checks that the database answers; for the health endpoint. */
export async function databaseIsHealthy(database: OpenDatabase): Promise<boolean> {
  try {
    if (database.dialect === 'sqlite') return database.sqlite.prepare('select 1 as ok').get() !== undefined;
    await database.pool.query('select 1');
    return true;
  } catch {
    return false;
  }
}
