/**
 * Measuring the cases: one request checked in full, warm-up, then measured runs in
 * interleaved rounds, each run with its status counts and the server's CPU time.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Case, CaseSpec } from './cases.js';
import { checkSignIn, runCeremonies } from './ceremonies.js';
import { load, type LoadRun } from './load.js';
import { fmtCpu, fmtMs, fmtRate, fmtRss } from './format.js';
import { sampleRss } from './memory.js';
import { requestOnce } from './request.js';
import { cookieFor } from './tokens.js';
import { Fatal, type Bench } from './workspace.js';

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 nearly everywhere). */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/**
 * CPU time (user + system) a process has used so far, in µs, or null off Linux. Per
 * request, it is steadier than req/s on a shared VM: time the hypervisor gives to
 * other guests is not charged to the process.
 */
function cpuMicros(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields 3… of proc(5); utime, stime are 14, 15
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** The case's first request (or sign-in) checked in full: null when it is right, else what is wrong. */
async function checkFirst(port: number, spec: CaseSpec): Promise<string | null | undefined> {
  if (spec.kind === 'ceremony') return checkSignIn(port, spec.ceremony);
  const first = spec.tokens ? { ...spec.headers, Cookie: cookieFor(spec.tokens, 0) } : spec.headers;
  const response = await requestOnce(port, { method: spec.method, path: spec.path, headers: first });
  return response.status !== spec.expect ? `status ${response.status}, expected ${spec.expect}: ${response.body.slice(0, 300)}` : spec.check?.(response);
}

/** Loads the server on `port` with the case's requests (or sign-ins) for `seconds`. */
function loadCase(bench: Bench, port: number, spec: CaseSpec, seconds: number): Promise<LoadRun> {
  return spec.kind === 'ceremony' ? runCeremonies(bench, port, spec.ceremony, seconds) : load(bench, port, spec, seconds);
}

/**
 * Before a case's first run: its first request checked in full, then --warmup seconds
 * of unmeasured load, and more while the case asks for warm-up requests.
 * @throws Fatal when the first request already fails
 */
async function prepareCase(bench: Bench, { server, spec, label }: Case): Promise<void> {
  const problem = await checkFirst(server.port, spec);
  if (problem) throw new Fatal(`${label}: the first request already failed: ${problem}`);
  const { warmupS } = bench.options;
  if (warmupS > 0) await loadCase(bench, server.port, spec, warmupS);
  // Some cases are only meaningful once the identity cache is full: keep warming up (not in a smoke run).
  if (spec.kind === 'ceremony' || !spec.warmRequests || bench.options.quick) return;
  let warmed = 0;
  const until = Date.now() + 120_000;
  while (warmed < spec.warmRequests && Date.now() < until) warmed += (await load(bench, server.port, spec, 5)).requests;
  console.log(`  (${label}: ${warmed.toLocaleString('en')} warm-up requests to fill the identity cache)`);
}

/**
 * One measured run of a case, added to its runs and printed; false when a response
 * had another status, a socket failed or nothing was answered.
 * @throws Fatal when the server died
 */
async function measureRun(bench: Bench, item: Case): Promise<boolean> {
  const { server, spec, label } = item;
  const cpuBefore = cpuMicros(server.pid);
  const rssSampler = sampleRss(server.pid);
  const run = await loadCase(bench, server.port, spec, bench.options.durationS);
  const rss = rssSampler.stop();
  const cpuAfter = cpuMicros(server.pid);
  const cpuPerRequest = cpuBefore === null || cpuAfter === null || run.requests === 0 ? null : (cpuAfter - cpuBefore) / run.requests;
  const total = Object.values(run.statuses).reduce((sum, n) => sum + n, 0);
  const unexpected = total - (run.statuses[spec.expect] ?? 0);
  const alive = server.alive();
  const ok = unexpected === 0 && run.errors === 0 && run.requests > 0 && alive;
  item.runs.push({ ...run, rps: run.requests / run.seconds, cpuPerRequest, rss, unexpected, ok, alive });
  const codes = Object.entries(run.statuses).map(([code, n]) => `${code}×${n}`).join(' ') || 'none';
  console.log(
    `  ${label}: ${fmtRate(run.requests / run.seconds)} req/s, p50 ${fmtMs(run.p50)} ms, p99 ${fmtMs(run.p99)} ms, ${fmtCpu(cpuPerRequest)} µs CPU/req, RSS ${fmtRss(rss)} MiB; statuses ${codes}` +
      `${run.errors ? `; socket errors ${JSON.stringify(run.errorDetail)}` : ''}${alive ? '' : '; SERVER DIED'}${ok ? '' : '  <-- FAILED'}`,
  );
  if (!alive) throw new Fatal(`${server.label} died during "${label}"\n${server.stderr()}`);
  return ok;
}

/**
 * The cases one at a time, in --rounds interleaved passes, so that a burst of other
 * load on the machine does not land on one case only. False when any run failed.
 */
export async function runRounds(bench: Bench, plan: Case[]): Promise<boolean> {
  const { rounds } = bench.options;
  let allOk = true;
  for (let round = 1; round <= rounds; round++) {
    if (rounds > 1) console.log(`round ${round} of ${rounds}`);
    for (const item of plan) {
      if (round === 1) await prepareCase(bench, item);
      if (!(await measureRun(bench, item))) allOk = false;
    }
  }
  return allOk;
}
