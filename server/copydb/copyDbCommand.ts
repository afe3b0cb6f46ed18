/**
 * `passkey-auth copy-db --from FILE --to URL`: moves a service's data from its SQLite file into
 * an empty PostgreSQL database (see copyDatabase.ts), with the row counts it checked, or why not.
 */
import { describeDatabase, parseDatabaseLocation } from '../config.js';
import { ConfigError, reportConfigError } from '../cli/configError.js';
import { parseFlags, requiredFlag } from '../cli/commandFlags.js';
import { CopyError, copyDatabase, type CopyRequest, type CopyResult } from './copyDatabase.js';

export const COPY_DB_COMMAND = 'copy-db';

export const COPY_DB_USAGE = `Usage: passkey-auth copy-db --from FILE --to URL

Copies a Passkey Auth SQLite database into an empty PostgreSQL database, to move the service there.
FILE is only read: the copy is taken from a consistent snapshot of it, brought to this version's
schema. URL's database must exist and hold no rows; the service's migrations create its tables.
Every table is copied in one transaction and its rows counted on both sides; on any failure the
target keeps no rows. Stop the service first: what it writes after the snapshot is not copied.

Options:
      --from FILE  The SQLite database (the service's --db)
      --to URL     postgres://USER:PASSWORD@HOST[:PORT]/DATABASE (or postgresql://)
  -h, --help       Show this help

Exit codes: 0 copied and checked, 1 the copy failed (the target holds no rows), 2 bad options.
`;

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const EXIT_FAILED = 1;

/**
 * Parses the command's flags.
 * @throws {ConfigError} with a message a person can act on
 */
export function parseCopyDbCli(argv: readonly string[]): { kind: 'help' } | { kind: 'copy'; request: CopyRequest } {
  const values = parseFlags(argv, OPTIONS);
  if (values.help) return { kind: 'help' };
  const from = requiredFlag(values.from, 'copy-db needs --from FILE: the SQLite database to copy');
  const to = requiredFlag(values.to, 'copy-db needs --to URL: the PostgreSQL database to copy into');
  const target = parseDatabaseLocation(to, '--to');
  if (target.kind !== 'postgres') throw new ConfigError(`--to must be a postgres:// URL, got "${to}" (to copy the SQLite file to another file, use passkey-auth backup)`);
  return { kind: 'copy', request: { from, to: target.url } };
}

/** Runs the command; resolves with its exit code. Prints no stack trace for a mistake a person can fix. */
export async function copyDbCommand(argv: readonly string[]): Promise<number> {
  let request: CopyRequest;
  try {
    const cli = parseCopyDbCli(argv);
    if (cli.kind === 'help') {
      process.stdout.write(COPY_DB_USAGE);
      return 0;
    }
    request = cli.request;
  } catch (error) {
    return reportConfigError('passkey-auth copy-db', error);
  }
  try {
    process.stdout.write(copyReport(request, await copyDatabase(request)));
    return 0;
  } catch (error) {
    if (!(error instanceof CopyError)) throw error;
    process.stderr.write(`passkey-auth copy-db: ${error.message}\n`);
    return EXIT_FAILED;
  }
}

/** What was copied: one line, then each table's rows by table name, the names aligned. */
export function copyReport({ from, to }: CopyRequest, { tables, ms }: CopyResult): string {
  const width = Math.max(...tables.map(({ table }) => table.length));
  const lines = [...tables].sort((a, b) => (a.table < b.table ? -1 : 1)).map(({ table, rows }) => `  ${table.padEnd(width)}  ${rows}\n`);
  const shown = describeDatabase({ kind: 'postgres', url: to });
  return `passkey-auth copy-db: copied ${from} to ${shown} in ${ms} ms; rows per table, counted on both sides:\n${lines.join('')}`;
}
