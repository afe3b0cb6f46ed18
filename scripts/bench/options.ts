/**
 * The benchmark's command line: parsed once into one typed object, with the
 * defaults `--quick` changes and the environment's answers (is wrk on PATH, can
 * taskset pin) already applied.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const USAGE = `Usage: npm run bench -- [options]

  --duration N       whole seconds per measured case (default 10; --quick: 2)
  --warmup N         whole seconds of unmeasured load before each case, 0 for none
                     (default 2; --quick: 1)
  --quick            smoke run: 2 s cases, the 1M database shrunk to 20,000 sessions /
                     2,000 users, no baseline-headers or cache-miss cases, no warm-up
                     beyond --warmup
  --connections N    concurrent connections (default 50)
  --tool wrk|autocannon   load generator (default wrk when on PATH, else autocannon)
  --threads N        wrk threads (default 1)
  --no-pin           do not pin server and load generator to separate CPUs with taskset
  --cases LIST       comma-separated subset of baseline, baseline-headers, forward, forward-bearer,
                     forward-nocookie, validate, forward-1m, forward-1m-miss, forward-pg,
                     forward-pg-miss, ceremony (default all; --quick: all but
                     baseline-headers and the -miss cases; the -pg cases need PostgreSQL)
  --sessions N       sessions in the big database (default 1000000)
  --users N          users in the big database (default 100000)
  --tokens N         distinct session tokens cycled by the forward cases (default 10000)
  --ceremony-clients N   concurrent sign-in clients of the ceremony case, each with its
                     own passkey (default 8)
  --rounds N         measure every case N times, interleaved, and report each case's
                     median round (default 1)
  --node-arg FLAG    extra flag for node running the built server, after the Dockerfile's
                     NODE_OPTIONS (so it can override them); repeatable
                     (e.g. --node-arg=--max-semi-space-size=16)
  --cpu-prof DIR     run the servers (baseline included) with --cpu-prof into DIR and
                     summarise where each spent its time
  -h, --help         this text
`;

export type LoadTool = 'wrk' | 'autocannon';

export interface BenchOptions {
  /** Smoke run: short cases, shrunk big database, informational cases left out. */
  quick: boolean;
  /** Whole seconds of each measured run (wrk takes no fractions). */
  durationS: number;
  /** Whole seconds of unmeasured load before a case's first run; 0 for none. */
  warmupS: number;
  connections: number;
  wrkThreads: number;
  /** Sessions and users in the big database. */
  bigSessions: number;
  bigUsers: number;
  /** Distinct session tokens the forward and validate cases cycle through. */
  tokenCount: number;
  /** Concurrent sign-in clients (and passkeys) of the ceremony case. */
  ceremonyClients: number;
  rounds: number;
  /** The `--cases` list as given (checked against the known cases later), or undefined for the default set. */
  cases: string | undefined;
  /** Extra flags for node running the built server. */
  nodeArgs: string[];
  /** Where the servers write CPU profiles, or null for none. */
  cpuProfDir: string | null;
  tool: LoadTool;
  /** Servers on CPU 0, the load generator on CPU 1 (taskset). */
  pin: boolean;
}

/** A command-line mistake: reported with exit status 2; `withUsage` appends the usage text. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly withUsage = false,
  ) {
    super(message);
  }
}

const onPath = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a positive number, got "${text}"`);
  return value;
}

/**
 * Parses the benchmark's arguments; 'help' when help was asked for.
 * @throws UsageError for an unknown option, a non-positive number, an unknown tool, or wrk missing when asked for
 */
export function parseOptions(argv: string[]): BenchOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        duration: { type: 'string' },
        warmup: { type: 'string' },
        quick: { type: 'boolean', default: false },
        connections: { type: 'string', default: '50' },
        tool: { type: 'string' },
        threads: { type: 'string', default: '1' },
        'no-pin': { type: 'boolean', default: false },
        cases: { type: 'string' },
        sessions: { type: 'string' },
        users: { type: 'string' },
        tokens: { type: 'string', default: '10000' },
        'ceremony-clients': { type: 'string', default: '8' },
        rounds: { type: 'string', default: '1' },
        'node-arg': { type: 'string', multiple: true, default: [] },
        'cpu-prof': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, true);
  }
  if (values.help) return 'help';

  const quick = values.quick;
  // In source order, so that the first mistake on the command line is the one reported.
  return {
    quick,
    durationS: Math.max(1, Math.round(positive('duration', values.duration ?? (quick ? '2' : '10')))),
    warmupS: values.warmup === '0' ? 0 : Math.max(1, Math.round(positive('warmup', values.warmup ?? (quick ? '1' : '2')))),
    connections: Math.round(positive('connections', values.connections)),
    wrkThreads: Math.round(positive('threads', values.threads)),
    bigSessions: Math.round(positive('sessions', values.sessions ?? (quick ? '20000' : '1000000'))),
    bigUsers: Math.round(positive('users', values.users ?? (quick ? '2000' : '100000'))),
    tokenCount: Math.round(positive('tokens', values.tokens)),
    ceremonyClients: Math.round(positive('ceremony-clients', values['ceremony-clients'])),
    rounds: Math.round(positive('rounds', values.rounds)),
    cases: values.cases,
    nodeArgs: values['node-arg'],
    cpuProfDir: values['cpu-prof'] ? resolve(values['cpu-prof']) : null,
    tool: loadTool(values.tool),
    pin: !values['no-pin'] && cpus().length >= 2 && onPath('taskset'),
  };
}

/** The load generator asked for, or wrk when it is on PATH, else autocannon. */
function loadTool(asked: string | undefined): LoadTool {
  const tool = asked ?? (onPath('wrk') ? 'wrk' : 'autocannon');
  if (tool !== 'wrk' && tool !== 'autocannon') throw new UsageError(`--tool must be wrk or autocannon, got "${tool}"`);
  if (tool === 'wrk' && !onPath('wrk')) throw new UsageError('wrk is not on PATH (Debian: apt-get install wrk); use --tool autocannon');
  return tool;
}
