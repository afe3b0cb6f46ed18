/**
 * `passkey-auth backup --to FILE [--db PATH] [--force]`: an online backup of the service's
 * database (see backupDatabase.ts), with a line saying what it did, or why not.
 */
import { dbPathFrom, parseDatabaseLocation } from '../config.js';
import { ConfigError, reportConfigError } from '../cli/configError.js';
import { parseFlags, requiredFlag } from '../cli/commandFlags.js';
import { BackupError, backupDatabase, type BackupRequest } from './backupDatabase.js';

export const BACKUP_COMMAND = 'backup';

export const BACKUP_USAGE = `Usage: passkey-auth backup --to FILE [--db PATH] [--force]

Copies the database while the service runs (SQLite's online backup), consistent to one moment.
The copy is written beside FILE under a temporary name, checked, then renamed to FILE.
For a PostgreSQL database use PostgreSQL's own pg_dump instead (see docs/operations.md).

Options (environment variable in brackets):
      --to FILE    Where the backup goes; its directory must exist
      --db PATH    The service's SQLite database (default ./passkey-auth.sqlite) [PASSKEY_AUTH_DB]
      --force      Replace FILE if it exists
  -h, --help       Show this help

Exit codes: 0 done, 1 the backup failed (nothing was written to FILE), 2 bad options.
`;

const OPTIONS = {
  to: { type: 'string' },
  db: { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const EXIT_FAILED = 1;

/**
 * Parses the command's flags.
 * @throws {ConfigError} with a message a person can act on
 */
export function parseBackupCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): { kind: 'help' } | { kind: 'backup'; request: BackupRequest } {
  const values = parseFlags(argv, OPTIONS);
  if (values.help) return { kind: 'help' };
  const to = requiredFlag(values.to, 'backup needs --to FILE: where the backup goes');
  const from = parseDatabaseLocation(dbPathFrom(values.db, env));
  if (from.kind === 'postgres') {
    throw new ConfigError('backup copies SQLite databases; back a PostgreSQL database up with pg_dump, e.g. pg_dump --format=custom --file=FILE URL (docs/operations.md)');
  }
  return { kind: 'backup', request: { from: from.path, to, overwrite: values.force ?? false } };
}

/** Runs the command; resolves with its exit code. Prints no stack trace for a mistake a person can fix. */
export async function backupCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  let request: BackupRequest;
  try {
    const cli = parseBackupCli(argv, env);
    if (cli.kind === 'help') {
      process.stdout.write(BACKUP_USAGE);
      return 0;
    }
    request = cli.request;
  } catch (error) {
    return reportConfigError('passkey-auth backup', error);
  }
  try {
    const { bytes, pages, ms } = await backupDatabase(request);
    process.stdout.write(`passkey-auth backup: copied ${request.from} to ${request.to} (${formatBytes(bytes)}, ${pages} pages, checked) in ${ms} ms\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    process.stderr.write(`passkey-auth backup: ${error.message}\n`);
    return EXIT_FAILED;
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
