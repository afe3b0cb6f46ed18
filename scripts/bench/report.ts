/**
 * What the benchmark prints around the measurements: the machine and settings
 * first; at the end one markdown table (each case's median round, same-round
 * ratios) and the performance targets, which are reported and never fatal.
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { Case, CaseId, MeasuredRun } from './cases.js';
import { fmtCpu, fmtMs, fmtRate, fmtRatio, fmtRss, median, medianBy } from './format.js';
import type { RssFigures } from './memory.js';
import type { BenchOptions } from './options.js';
import { containerNodeFlags, containerRuntimeEnv } from './servers.js';

/** A case's figures over all rounds. */
export interface CaseResult {
  id: CaseId;
  label: string;
  expect: number | string;
  /** From the median round by req/s. */
  rps: number;
  p50: number;
  p99: number;
  /** The median of the rounds' CPU figures, on its own: CPU and req/s noise need not coincide. */
  cpuPerRequest: number | null;
  /** The highest peak of all rounds, and the median of their steady levels. */
  rss: RssFigures | null;
  statuses: Record<string, number>;
  unexpected: number;
  errors: number;
  alive: boolean;
  ok: boolean;
  runs: MeasuredRun[];
}

/** The machine, the load settings, and a warning when the machine is already busy. */
export function printPreamble({ quick, tool, wrkThreads, connections, durationS, warmupS, rounds, pin, nodeArgs }: BenchOptions): void {
  const cpuModel = cpus()[0]?.model ?? 'unknown';
  const load0 = loadavg();
  console.log(`passkey-auth forward-auth benchmark${quick ? ' (quick smoke run)' : ''}`);
  console.log(
    `node ${process.version}; ${cpus().length} CPUs (${cpuModel}); ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM (${(freemem() / 2 ** 30).toFixed(0)} free); ` +
      `load average ${load0.map((n) => n.toFixed(2)).join(' ')}`,
  );
  console.log(
    `tool ${tool}${tool === 'wrk' ? ` -t${wrkThreads}` : ''}, ${connections} connections, ${durationS} s per case after ${warmupS} s warm-up` +
      `${rounds > 1 ? `, ${rounds} interleaved rounds (median reported)` : ''}; ` +
      `${pin ? 'server on CPU 0, load generator on CPU 1 (taskset)' : 'no CPU pinning'}`,
  );
  const env = Object.entries(containerRuntimeEnv()).map(([key, value]) => `${key}=${value} `);
  const flags = [...containerNodeFlags(), ...nodeArgs];
  console.log(`passkey-auth runs as the Dockerfile runs it: ${env.join('')}node ${flags.length > 0 ? `${flags.join(' ')} ` : ''}dist/server/main.js`);
  if (load0[0]! > cpus().length * 0.5) {
    console.warn(`bench: warning: the machine is busy (1-minute load ${load0[0]!.toFixed(2)} on ${cpus().length} CPUs): figures will be low and noisy`);
  }
}

/** Each case's figures: its median round by req/s, statuses and failures summed over rounds. */
export function summarise(plan: readonly Case[]): CaseResult[] {
  return plan.map((item) => {
    const middle = medianBy(item.runs, (run) => run.rps);
    const statuses: Record<string, number> = {};
    for (const run of item.runs) for (const [code, n] of Object.entries(run.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
    return {
      id: item.id,
      label: item.label,
      expect: item.spec.expect,
      rps: middle.rps,
      p50: middle.p50,
      p99: middle.p99,
      cpuPerRequest: item.runs.some((run) => run.cpuPerRequest === null) ? null : median(item.runs.map((run) => run.cpuPerRequest!)),
      rss: overRounds(item.runs.map((run) => run.rss)),
      statuses,
      unexpected: item.runs.reduce((sum, run) => sum + run.unexpected, 0),
      errors: item.runs.reduce((sum, run) => sum + run.errors, 0),
      alive: item.runs.every((run) => run.alive),
      ok: item.runs.every((run) => run.ok),
      runs: item.runs,
    };
  });
}

/** Resident memory over rounds: the highest peak, the median steady level; null when a round has none. */
function overRounds(rounds: readonly (RssFigures | null)[]): RssFigures | null {
  if (rounds.length === 0 || rounds.some((rss) => rss === null)) return null;
  const figures = rounds as readonly RssFigures[];
  return { peakMiB: Math.max(...figures.map((rss) => rss.peakMiB)), steadyMiB: median(figures.map((rss) => rss.steadyMiB)) };
}

/**
 * A case against a reference case: the median over rounds of the two cases' ratio in
 * the same round, so that a slow minute on a shared machine lands on both sides of
 * each ratio. By req/s, or by server CPU per request (inverted: higher is better).
 */
export function ratioTo(result: CaseResult, reference: CaseResult | undefined, by: 'rps' | 'cpu' = 'rps'): number | undefined {
  if (!reference || result === reference) return undefined;
  const ratios = result.runs.map((run, i) => {
    const other = reference.runs[i]!;
    return by === 'rps' ? run.rps / other.rps : (other.cpuPerRequest ?? NaN) / (run.cpuPerRequest ?? NaN);
  });
  return ratios.some((ratio) => !Number.isFinite(ratio)) ? undefined : median(ratios);
}

const byId = (results: readonly CaseResult[]): Partial<Record<CaseId, CaseResult>> => Object.fromEntries(results.map((result) => [result.id, result]));

/** The markdown table of all cases; with several rounds, a column of each round's req/s. */
export function printTable(results: readonly CaseResult[], rounds: number): void {
  const { baseline, forward } = byId(results);
  const roundsHead = rounds > 1 ? ' req/s per round |' : '';
  console.log(`\n| case | req/s | p50 ms | p99 ms | × baseline | × forward (small DB) | server CPU µs/req | × baseline by CPU | server RSS MiB peak / steady | statuses | check |${roundsHead}`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|${rounds > 1 ? '---|' : ''}`);
  const shown = (ratio: number | undefined) => (ratio === undefined ? '' : fmtRatio(ratio));
  for (const result of results) {
    const codes = Object.entries(result.statuses).map(([code, n]) => `${code}: ${n.toLocaleString('en')}`).join(', ');
    const check = result.ok ? `all ${result.expect}` : `FAIL: ${result.unexpected} unexpected, ${result.errors} socket errors${result.alive ? '' : ', server died'}`;
    const vsForward = result.id.startsWith('forward-1m') || result.id.startsWith('forward-pg') ? shown(ratioTo(result, forward)) : '';
    const perRound = rounds > 1 ? ` ${result.runs.map((run) => fmtRate(run.rps)).join(' / ')} |` : '';
    console.log(
      `| ${result.label} | ${fmtRate(result.rps)} | ${fmtMs(result.p50)} | ${fmtMs(result.p99)} | ${shown(ratioTo(result, baseline))} | ${vsForward} | ` +
        `${fmtCpu(result.cpuPerRequest)} | ${shown(ratioTo(result, baseline, 'cpu'))} | ${fmtRss(result.rss)} | ${codes} | ${check} |${perRound}`,
    );
  }
  if (rounds > 1) console.log('(ratios: the median over rounds of the ratio within each round)');
}

/** The resident memory the server may use under forward load. */
const RSS_TARGET_MIB = 100;

/** Passkey sign-ins per second over WebSocket that the server should sustain. */
const CEREMONY_TARGET = 1000;

/** PASS, MISS or n/a for each target the selected cases can judge. */
export function printTargets(results: readonly CaseResult[], { quick, bigSessions }: BenchOptions): void {
  const { baseline, forward, 'forward-1m': forward1m } = byId(results);
  const target = (text: string, value: string, pass?: boolean) => console.log(`${pass === undefined ? 'n/a ' : pass ? 'PASS' : 'MISS'}  ${text}: ${value}`);
  console.log('\nTargets (reported, never fatal):');
  const forwardRatio = forward && ratioTo(forward, baseline);
  if (forwardRatio !== undefined) target('forward ≥ 0.70× baseline req/s', fmtRatio(forwardRatio), forwardRatio >= 0.7);
  else target('forward ≥ 0.70× baseline req/s', 'needs cases baseline and forward');
  if (forward) target('forward p99 ≤ 5 ms', `${fmtMs(forward.p99)} ms`, forward.p99 <= 5);
  if (forward?.rss) target(`server RSS under forward load ≤ ${RSS_TARGET_MIB} MiB (peak)`, `${fmtRss(forward.rss)} MiB (peak / steady)`, forward.rss.peakMiB <= RSS_TARGET_MIB);
  const bigRatio = forward1m && ratioTo(forward1m, forward);
  if (bigRatio !== undefined) {
    const label = quick ? `forward with the big DB (${bigSessions.toLocaleString('en')} sessions in --quick) ≥ 0.90× small DB` : 'forward with 1M sessions ≥ 0.90× small DB';
    target(label, fmtRatio(bigRatio), bigRatio >= 0.9);
  }
  const { ceremony } = byId(results);
  if (ceremony) target(`passkey sign-ins ≥ ${CEREMONY_TARGET.toLocaleString('en')}/s`, `${fmtRate(ceremony.rps)}/s (p50 ${fmtMs(ceremony.p50)} ms, p99 ${fmtMs(ceremony.p99)} ms per ceremony)`, ceremony.rps >= CEREMONY_TARGET);
  const all = byId(results);
  for (const [pg, sqlite] of [['forward-pg', 'forward-1m'], ['forward-pg-miss', 'forward-1m-miss']] as const) {
    const ratio = all[pg] && ratioTo(all[pg], all[sqlite]);
    if (ratio !== undefined) target(`${pg} against ${sqlite} (same rows; informational)`, `${fmtRatio(ratio)} req/s, ${fmtRatio(ratioTo(all[pg]!, all[sqlite], 'cpu'))} by CPU`);
  }
  if (quick) console.log('(--quick: 2 s cases and a shrunk big database; figures are a smoke test, not a measurement)');
}

export function printLoadAverageAfter(): void {
  console.log(`load average after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
}
