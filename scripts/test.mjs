#!/usr/bin/env node
// Runs every test suite (unit and integration with Vitest, the database suites again on a
// throw-away PostgreSQL, browser and proxy flows with Playwright, a smoke run of the benchmark)
// after building, and prints one closing line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseSuites } from './databaseSuites.mjs';

const reports = mkdtempSync(join(tmpdir(), 'passkey-auth-reports-'));
const run = (command, args, env = {}) =>
  spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

if (run('bash', ['scripts/system-deps.sh']) !== 0) process.exit(1);
if (run('npm', ['run', '--silent', 'build']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let passed = 0;
let failed = 0;

/** Runs Vitest on `files` (all when empty) with `env`, counting its tests from the JSON report. */
function vitest(name, files, env = {}) {
  const report = join(reports, `${name}.json`);
  const status = run('npx', ['vitest', 'run', ...files, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], env);
  if (!existsSync(report)) return void (failed += 1);
  const { numPassedTests, numFailedTests } = JSON.parse(readFileSync(report, 'utf8'));
  passed += numPassedTests;
  failed += numFailedTests + (status !== 0 && numFailedTests === 0 ? 1 : 0);
}

vitest('vitest', []);
// The suites that touch the database, again on PostgreSQL (one throw-away cluster for the run,
// a database per test server: server/testing/postgres.ts).
vitest('vitest-postgres', databaseSuites('.'), { PASSKEY_AUTH_TEST_DB: 'postgres' });

// Playwright: JSON report's stats (expected = passed, unexpected = failed, flaky counted as passed).
const hasE2e = existsSync('e2e') && readdirSync('e2e', { recursive: true }).some((name) => String(name).endsWith('.spec.ts'));
if (hasE2e) {
  const playwrightReport = join(reports, 'playwright.json');
  const playwrightStatus = run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport });
  if (existsSync(playwrightReport)) {
    const { stats } = JSON.parse(readFileSync(playwrightReport, 'utf8'));
    passed += stats.expected + stats.flaky;
    failed += stats.unexpected + (playwrightStatus !== 0 && stats.unexpected === 0 ? 1 : 0);
  } else failed += 1;
}

// The benchmark's smoke run: every case answers as expected under a short load (the
// figures are printed, never judged here; docs/benchmarks.md has the real runs).
if (run('npm', ['run', '--silent', 'bench', '--', '--quick']) === 0) passed += 1;
else failed += 1;

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
