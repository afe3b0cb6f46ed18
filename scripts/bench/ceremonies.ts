/**
 * The ceremony case: passkey sign-ins per second over WebSocket. Its first sign-in is
 * checked end to end (the code it yields makes a session that passes forward auth, and
 * forged answers are refused); its load runs in a child process (ceremonyLoad.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SoftAuthenticator } from '../../server/testing/softAuthenticator.js';
import { ROOT } from './build.js';
import type { LoadRun } from './load.js';
import { storedPasskey, type BenchPasskey } from './passkeys.js';
import { requestOnce } from './request.js';
import { signIn, type SignInTarget } from './signIn.js';
import { HOST } from './tokens.js';
import { Fatal, type Bench } from './workspace.js';

export const CEREMONY_RESULT_PREFIX = 'BENCH_CEREMONIES ';

/** The ceremony case's state, carried from run to run. */
export interface CeremonyPlan {
  /** One per concurrent client; their counters advance with every sign-in. */
  passkeys: BenchPasskey[];
  /** The next client address to use (see addressOf). */
  addressCursor: number;
}

export interface CeremonyLoadConfig extends CeremonyPlan {
  port: number;
  origin: string;
  seconds: number;
}

export interface CeremonyLoadResult {
  ceremonies: number;
  seconds: number;
  /** Milliseconds from connecting to the outcome. */
  p50: number;
  p99: number;
  /** Sign-ins by outcome (see SignInOutcome). */
  outcomes: Record<string, number>;
  /** Each passkey's counter after the run. */
  counters: number[];
  addressCursor: number;
  /** The load generator's CPU time over the run's wall time (1 = one whole CPU). */
  cpuShare: number;
}

/**
 * Client address number `n` (10.0.0.0/8, 16M of them). The server trusts the benchmark as
 * its proxy and limits ceremonies per client address at the production rate: one address
 * per sign-in measures many people signing in, each well within the limit.
 */
export const addressOf = (n: number): string => `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

/** The origin the ceremony server allows (startAuthServer's `--origin`). */
export const originFor = (port: number): string => `http://${HOST}:${port}`;

/**
 * Runs the load generator for `seconds` against `port`; carries the counters and the
 * address cursor on. Socket failures count as errors, every other outcome as a status.
 */
export async function runCeremonies({ options, workspace }: Bench, port: number, plan: CeremonyPlan, seconds: number): Promise<LoadRun> {
  const configFile = join(workspace.dir, 'ceremony-load.json');
  const config: CeremonyLoadConfig = { ...plan, port, origin: originFor(port), seconds };
  writeFileSync(configFile, JSON.stringify(config));
  const args = ['--import', 'tsx', join(ROOT, 'scripts/bench/ceremonyLoad.ts'), configFile];
  const child = options.pin ? workspace.spawn('taskset', ['-c', '1', process.execPath, ...args], ROOT) : workspace.spawn(process.execPath, args, ROOT);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode)));
  const line = stdout.split('\n').find((text) => text.startsWith(CEREMONY_RESULT_PREFIX));
  if (code !== 0 || !line) throw new Fatal(`the ceremony load generator failed (exit ${code})\n${stdout}${stderr}`);
  const result = JSON.parse(line.slice(CEREMONY_RESULT_PREFIX.length)) as CeremonyLoadResult;
  result.counters.forEach((counter, i) => (plan.passkeys[i]!.counter = counter));
  plan.addressCursor = result.addressCursor;
  console.log(`  (ceremony load generator: ${Math.round(result.cpuShare * 100)}% of a CPU)`);
  const statuses: Record<string, number> = {};
  const errorDetail: Record<string, number> = {};
  for (const [outcome, n] of Object.entries(result.outcomes)) (outcome.startsWith('socket') ? errorDetail : statuses)[outcome] = n;
  return {
    requests: result.ceremonies,
    seconds: result.seconds,
    p50: result.p50,
    p99: result.p99,
    errors: Object.values(errorDetail).reduce((sum, n) => sum + n, 0),
    errorDetail,
    statuses,
  };
}

/**
 * The first sign-in, checked end to end: it succeeds, its code redeemed at set-session
 * gives a session cookie, and forward auth with that cookie names the signed-in person.
 * Then two forged answers (a bad signature, no user verification) must be refused.
 * @returns null when all is right, else what is wrong
 */
export async function checkSignIn(port: number, plan: CeremonyPlan): Promise<string | null> {
  const authenticator = new SoftAuthenticator();
  const passkey = storedPasskey(plan.passkeys[0]!);
  const target = (n: number): SignInTarget => ({ port, origin: originFor(port), address: addressOf(plan.addressCursor + n) });
  try {
    const first = await signIn(target(0), authenticator, passkey);
    if (!first.success) return `the sign-in ended with ${first.outcome}, expected success`;
    const redeemed = await requestOnce(port, { method: 'POST', path: '/auth/api/set-session', headers: { Host: HOST, Authorization: `Bearer ${first.success.code}`, 'X-Forwarded-For': target(0).address } });
    const cookie = redeemed.headers['set-cookie']?.[0]?.split(';')[0];
    if (redeemed.status !== 200 || !cookie) return `set-session with the sign-in's code answered ${redeemed.status} ${redeemed.body.slice(0, 200)}`;
    const forward = await requestOnce(port, { method: 'GET', path: '/auth/api/forward', headers: { Host: HOST, Cookie: cookie } });
    if (forward.status !== 204 || forward.headers['remote-user'] !== first.success.user.id) {
      return `forward with the new session answered ${forward.status}, Remote-User ${forward.headers['remote-user']}, expected 204 for ${first.success.user.id}`;
    }
    for (const [n, tweak] of [[1, { badSignature: true }], [2, { userVerified: false }]] as const) {
      const forged = await signIn(target(n), authenticator, passkey, tweak);
      if (forged.outcome !== 'error verification_failed') return `a forged answer (${JSON.stringify(tweak)}) ended with ${forged.outcome}, expected error verification_failed`;
    }
    return null;
  } finally {
    plan.passkeys[0]!.counter = passkey.counter;
    plan.addressCursor += 3;
  }
}
