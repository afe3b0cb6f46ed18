/**
 * The PostgreSQL cases' database: a throw-away cluster (the tests' starter,
 * server/testing/postgres.ts), stopped when the benchmark ends, holding a copy of the big
 * SQLite database made with the built server's own `passkey-auth copy-db`, so that both
 * backends answer for the very same rows.
 */
import { createTestDatabase, postgresBinaries, startPostgres } from '../../server/testing/postgres.js';
import { ROOT } from './build.js';
import type { SeededDatabase } from './seed.js';
import { Fatal, type Bench } from './workspace.js';

/** Why the PostgreSQL cases cannot run here, or null when they can. */
export function postgresMissing(): string | null {
  return postgresBinaries() ? null : 'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; scripts/system-deps.sh installs it)';
}

/** Starts a cluster, creates a database and copies `source` into it; the copy's `path` is its URL. */
export async function copyToPostgres({ workspace }: Bench, source: SeededDatabase): Promise<SeededDatabase> {
  const started = performance.now();
  const cluster = await startPostgres();
  workspace.onCleanup(() => cluster.stop());
  const { url } = await createTestDatabase(cluster.url);
  const child = workspace.spawn(process.execPath, ['dist/server/main.js', 'copy-db', '--from', source.path, '--to', url], ROOT);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
  const code = await new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode)));
  if (code !== 0) throw new Fatal(`passkey-auth copy-db into PostgreSQL failed (exit ${code})\n${output}`);
  console.log(`copied the big database into PostgreSQL (throw-away cluster, fsync off) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { ...source, path: url };
}
