// Which Vitest suites touch the database, so that `npm test` runs those (and only those) again
// on PostgreSQL: the test files that import, directly or through other modules, one of the
// helpers that give a test its database (a test server, or a test database of its own). Suites
// that run the service as a child process choose its database themselves (an SQLite file, or
// postgres.test.ts's cluster), so they run once.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The helpers that open a database on the backend a run targets (PASSKEY_AUTH_TEST_DB). */
const DATABASE_HELPERS = ['server/testing/testServer.ts', 'server/testing/testDatabase.ts'];
/** Relative imports that run code (`import type` does not). */
/** A test file that starts the service as a process. */
const PROCESS_SUITE = /from ['"](?:node:)?child_process['"]|serverProcess\.js['"]/;
const RUNTIME_IMPORT = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Test files under server/ (as Vitest finds them), relative to `root`, that touch the database; sorted. */
export function databaseSuites(root) {
  const helpers = new Set(DATABASE_HELPERS.map((path) => resolve(root, path)));
  const known = new Map();
  const reaches = (file, visiting) => {
    if (helpers.has(file)) return true;
    if (known.has(file)) return known.get(file);
    if (visiting.has(file) || !existsSync(file)) return false;
    visiting.add(file);
    const source = readFileSync(file, 'utf8');
    const found = [...source.matchAll(RUNTIME_IMPORT)].some(([, specifier]) => reaches(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')), visiting));
    visiting.delete(file);
    known.set(file, found);
    return found;
  };
  return testFiles(join(root, 'server'))
    .filter((file) => !PROCESS_SUITE.test(readFileSync(file, 'utf8')) && reaches(file, new Set()))
    .map((file) => relative(root, file))
    .sort();
}

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}
