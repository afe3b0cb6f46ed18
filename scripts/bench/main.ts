/**
 * Forward-auth benchmark (`npm run bench`; docs/benchmarks.md has results and method).
 *
 * Needs the built server in dist/ (`npm run build`); builds nothing itself. Seeds
 * temporary SQLite databases directly (no browser): first-start migrations and
 * bootstrap from the server's source, then a credential, the permission `app:read`
 * and sessions whose tokens it knows. Starts, on 127.0.0.1, a bare node:http 204
 * server (the baseline) and the built server, loads one case at a time with wrk (or
 * autocannon when wrk is missing), checks every response's status, prints a table
 * and the targets. Child processes and temporary files go away on exit or signal.
 *
 *   npm run bench                      full run, 10 s per case
 *   npm run bench -- --quick           smoke run (~2 s cases, 1M database shrunk); for CI
 *   npm run bench -- --duration 30     longer cases
 *   npm run bench -- --cases forward --cpu-prof /tmp/prof   profile the server under forward load
 *
 * Exit status: 1 when a case got unexpected status codes or socket errors, or a
 * server failed; 2 for a mistake on the command line; performance targets are
 * reported (PASS/MISS), never fatal.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkBuild } from './build.js';
import {
  needsBaseline,
  needsBigDatabase,
  needsCeremonyDatabase,
  needsSmallDatabase,
  planBigTokens,
  planCases,
  POSTGRES_CASES,
  selectCases,
  type BigTokens,
  type Case,
  type CaseId,
  type ServersUnderTest,
} from './cases.js';
import type { CeremonyPlan } from './ceremonies.js';
import { runRounds } from './measure.js';
import { parseOptions, UsageError, USAGE, type BenchOptions } from './options.js';
import { makePasskeys } from './passkeys.js';
import { copyToPostgres, postgresMissing } from './postgres.js';
import { summariseProfile } from './profile.js';
import { printLoadAverageAfter, printPreamble, printTable, printTargets, summarise } from './report.js';
import { seedDatabase, type SeededDatabase } from './seed.js';
import { Profiler, startAuthServer, startBaseline } from './servers.js';
import { newSalt } from './tokens.js';
import { fetchServiceToken, seedServiceClient, type ServiceClient } from './serviceClient.js';
import { Fatal, Workspace, type Bench } from './workspace.js';

interface Databases {
  small: SeededDatabase | null;
  /** The small database's client-credentials client, for forward-bearer. */
  serviceClient: ServiceClient | null;
  big: { db: SeededDatabase; tokens: BigTokens } | null;
  /** A copy of the big database on PostgreSQL (its `path` is the URL). */
  postgres: SeededDatabase | null;
  ceremony: { db: SeededDatabase; plan: CeremonyPlan } | null;
}

/** Parses the command line; prints help or a usage error and exits when there is nothing to run. */
function optionsOrExit(argv: string[]): BenchOptions {
  try {
    const parsed = parseOptions(argv);
    if (parsed !== 'help') return parsed;
    process.stdout.write(USAGE);
    process.exit(0);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n${error.withUsage ? `\n${USAGE}` : ''}`);
    process.exit(2);
  }
}

/**
 * The small database (1 user, one session per token) when a small-database case
 * runs; the big one when a big-database case runs, hashing only the tokens presented.
 */
async function seedDatabases(bench: Bench, cases: readonly CaseId[]): Promise<Databases> {
  const { options, workspace } = bench;
  const tokens = planBigTokens(options, cases);
  const small = needsSmallDatabase(cases)
    ? await seedDatabase(join(workspace.dir, 'small.sqlite'), { users: 1, sessions: options.tokenCount, salt: newSalt(), label: 'small database' })
    : null;
  const big = needsBigDatabase(cases)
    ? await seedDatabase(join(workspace.dir, 'big.sqlite'), {
        users: options.bigUsers,
        sessions: options.bigSessions,
        salt: newSalt(),
        label: 'big database',
        addressed: tokens.addressed,
      })
    : null;
  const serviceClient = small && cases.includes('forward-bearer') ? await seedServiceClient(small.path) : null;
  return {
    small,
    serviceClient,
    big: big && { db: big, tokens },
    postgres: big && cases.some((id) => POSTGRES_CASES.includes(id)) ? await copyToPostgres(bench, big) : null,
    ceremony: needsCeremonyDatabase(cases) ? await seedCeremonyDatabase(workspace, options.ceremonyClients) : null,
  };
}

/** One person per ceremony client, each with a real passkey, and no sessions. */
async function seedCeremonyDatabase(workspace: Workspace, clients: number): Promise<Databases['ceremony']> {
  const { passkeys, seeds } = await makePasskeys(clients);
  const db = await seedDatabase(join(workspace.dir, 'ceremony.sqlite'), { users: clients, sessions: 0, salt: newSalt(), label: 'ceremony database', passkeys: seeds });
  return { db, plan: { passkeys, addressCursor: 0 } };
}

/** Every server the cases need, up front (an idle server costs no CPU): the baseline, and the built server once per database. */
async function startServers(bench: Bench, profiler: Profiler, cases: readonly CaseId[], { small, serviceClient, big, postgres, ceremony }: Databases): Promise<ServersUnderTest> {
  const smallServer = small && (await startAuthServer(bench, profiler, small, 'small'));
  return {
    baseline: needsBaseline(cases) ? await startBaseline(bench, profiler) : null,
    small: small && smallServer && { db: small, server: smallServer, bearerToken: serviceClient && (await fetchServiceToken(smallServer, serviceClient)) },
    big: big && { ...big, server: await startAuthServer(bench, profiler, big.db, 'big') },
    postgres: postgres && (await startAuthServer(bench, profiler, postgres, 'postgres')),
    // The benchmark is the ceremony clients' proxy: it names a new client address per sign-in (see addressOf).
    ceremony: ceremony && { plan: ceremony.plan, server: await startAuthServer(bench, profiler, ceremony.db, 'ceremony', ['--trusted-proxy', '127.0.0.1']) },
  };
}

/** Stops the servers and waits for them to exit (they write their CPU profiles then). */
async function stopServers({ baseline, small, big, postgres, ceremony }: ServersUnderTest): Promise<void> {
  await Promise.all([baseline, small?.server, big?.server, postgres, ceremony?.server].map((server) => server?.stop()));
}

/** The table, the targets and, with --cpu-prof, where each server spent its time. */
function report(options: BenchOptions, plan: readonly Case[], profiler: Profiler): void {
  const results = summarise(plan);
  printTable(results, options.rounds);
  printTargets(results, options);
  printLoadAverageAfter();
  for (const file of profiler.files) {
    if (existsSync(file)) summariseProfile(file);
    else console.warn(`bench: warning: no CPU profile at ${file}`);
  }
}

/** The cases this machine can run: the PostgreSQL ones only where PostgreSQL is installed (else said why). */
function withoutUnrunnable(cases: CaseId[]): CaseId[] {
  const skipped = cases.filter((id) => POSTGRES_CASES.includes(id));
  const missing = skipped.length > 0 ? postgresMissing() : null;
  if (!missing) return cases;
  console.warn(`bench: skipping ${skipped.join(', ')}: ${missing}`);
  return cases.filter((id) => !skipped.includes(id));
}

/** The steps of a run; false when a case got an unexpected status or a socket error. */
async function run(bench: Bench): Promise<boolean> {
  const { options } = bench;
  checkBuild();
  const cases = withoutUnrunnable(selectCases(options));
  printPreamble(options);
  // autocannon runs in this process: pin all its threads to the load generator's CPU.
  if (options.pin && options.tool === 'autocannon') spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const profiler = new Profiler(options.cpuProfDir);
  const databases = await seedDatabases(bench, cases);
  const servers = await startServers(bench, profiler, cases, databases);
  const plan = planCases(cases, options.tokenCount, servers);
  const allOk = await runRounds(bench, plan);
  await stopServers(servers);
  report(options, plan, profiler);
  return allOk;
}

const options = optionsOrExit(process.argv.slice(2));
const workspace = new Workspace();
try {
  const allOk = await run({ options, workspace });
  if (!allOk) {
    console.error('\nbench: FAILED: a case got unexpected status codes or socket errors (see above)');
    process.exitCode = 1;
  }
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Fatal ? error.message : (error as Error).stack}\n`);
  process.exitCode = 1;
} finally {
  await workspace.stopAll();
  workspace.cleanupSync();
}
