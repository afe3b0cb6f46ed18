/**
 * The ceremony case's load generator, a child process of the benchmark (pinned to the
 * load generator's CPU like wrk): `clients` sign-in loops, one per passkey, each running
 * one ceremony after another on a new WebSocket (the protocol allows one ceremony per
 * connection), every ceremony from a new client address. Prints one result line.
 *
 *   node --import tsx scripts/bench/ceremonyLoad.ts CONFIG.json
 */
import { readFileSync } from 'node:fs';
import { SoftAuthenticator } from '../../server/testing/softAuthenticator.js';
import { storedPasskey } from './passkeys.js';
import { signIn } from './signIn.js';
import { addressOf, CEREMONY_RESULT_PREFIX, type CeremonyLoadConfig, type CeremonyLoadResult } from './ceremonies.js';

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as CeremonyLoadConfig;
const authenticator = new SoftAuthenticator();
const passkeys = config.passkeys.map(storedPasskey);
const latencies: number[] = [];
const outcomes: Record<string, number> = {};
let nextAddress = config.addressCursor;

const cpuBefore = process.cpuUsage();
const started = performance.now();
const deadline = started + config.seconds * 1000;
let lastDone = started;
await Promise.all(
  passkeys.map(async (passkey) => {
    while (performance.now() < deadline) {
      const { outcome, ms } = await signIn({ port: config.port, origin: config.origin, address: addressOf(nextAddress++) }, authenticator, passkey);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      latencies.push(ms);
      lastDone = performance.now();
    }
  }),
);
const cpu = process.cpuUsage(cpuBefore);
const seconds = (lastDone - started) / 1000;
latencies.sort((a, b) => a - b);
const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
const result: CeremonyLoadResult = {
  ceremonies: latencies.length,
  seconds,
  p50: percentile(50),
  p99: percentile(99),
  outcomes,
  counters: passkeys.map((passkey) => passkey.counter),
  addressCursor: nextAddress,
  cpuShare: (cpu.user + cpu.system) / 1e6 / seconds,
};
process.stdout.write(`${CEREMONY_RESULT_PREFIX}${JSON.stringify(result)}\n`);
