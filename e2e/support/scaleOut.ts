/**
 * Several Passkey Auth instances on one PostgreSQL behind HAProxy, as docs/scale-out.md shows
 * them: the built server started once per instance (`node dist/server/main.js --db postgres://…`),
 * each with its own metrics address, and HAProxy running the page's configuration.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { APP_HOST, DEDICATED_RP_ID } from './hosts.js';
import { freePort, spawnCaptured, type CapturedProcess } from './childProcess.js';
import { serverMain } from './server.js';
import { HAPROXY_LUA, fencedBlocks, launchProxy, substitute, type RunningProxy } from './reverseProxy.js';
import { rawRequest } from '../../server/testing/rawHttp.js';

export const SCALE_OUT_DOC = resolve('docs/scale-out.md');
/** The instance addresses the page's HAProxy configuration names, in order. */
const DOCUMENTED_INSTANCES = ['127.0.0.1:4401', '127.0.0.1:4402', '127.0.0.1:4403'];
/** Where the page's forward-auth listener is. */
const DOCUMENTED_FORWARD = '127.0.0.1:4400';
const START_TIMEOUT_MS = 30_000;
/** The one-time link on its own line (printed by whichever instance bootstrapped the database). */
const BOOTSTRAP_LINK = /^\s*(https?:\/\/[^\s/]+\/auth\/[a-z]+(?:\.[a-z]+){4})\s*$/m;

export interface Instance {
  /** The server name HAProxy gives it (`pa1`…), as its `X-Served-By` answers show. */
  name: string;
  port: number;
  metricsPort: number;
  process: CapturedProcess;
  /** The bootstrap link, if this instance printed it. */
  bootstrapLink(): string | undefined;
}

/**
 * Starts instance `index` (0-based) on the database at `databaseUrl` for the app host behind
 * the proxy on `proxyPort`; resolves once it listens.
 */
export async function startInstance(index: number, databaseUrl: string, proxyPort: number): Promise<Instance> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'passkey-auth-instance-'));
  const flags = [
    '--listen', `127.0.0.1:${port}`,
    '--db', databaseUrl,
    '--rp-id', DEDICATED_RP_ID,
    '--origin', `http://${APP_HOST}:${proxyPort}`,
    '--trusted-proxy', '127.0.0.1',
    '--metrics-listen', `127.0.0.1:${metricsPort}`,
  ];
  const process_ = spawnCaptured(process.execPath, [serverMain(), ...flags], { dir, stopTimeoutMs: 5_000 });
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance ${index + 1} printed no "listening on" in ${START_TIMEOUT_MS} ms:\n${process_.output()}`)), START_TIMEOUT_MS);
    const check = () => {
      if (!/listening on/.test(process_.output())) return;
      clearTimeout(timer);
      resolveReady();
    };
    process_.child.stdout!.on('data', check);
    process_.child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`instance ${index + 1} exited (${code ?? signal}) before it was ready:\n${process_.output()}`));
    });
  });
  return { name: `pa${index + 1}`, port, metricsPort, process: process_, bootstrapLink: () => BOOTSTRAP_LINK.exec(process_.output())?.[1] };
}

/**
 * Starts HAProxy with docs/scale-out.md's configuration in front of `instances` and the app on
 * `appPort`. For the test only, every answer from an instance names it in `X-Served-By`.
 */
export async function startBalancer(proxyPort: number, instances: readonly Instance[], appPort: number): Promise<RunningProxy> {
  const blocks = fencedBlocks(readFileSync(SCALE_OUT_DOC, 'utf8'), 'haproxy');
  if (blocks.length !== 1) throw new Error(`${SCALE_OUT_DOC} must hold exactly one \`\`\`haproxy block; found ${blocks.length}`);
  const config = substitute(blocks[0]!, [
    ['bind :80', `bind 127.0.0.1:${proxyPort}`],
    ['/etc/haproxy/passkey-auth.lua', HAPROXY_LUA],
    [DOCUMENTED_FORWARD, `127.0.0.1:${await freePort()}`],
    ['127.0.0.1:8080', `127.0.0.1:${appPort}`],
    ...DOCUMENTED_INSTANCES.map((address, index): [string, string] => [address, `127.0.0.1:${instances[index]!.port}`]),
    ['backend passkey_auth\n', 'backend passkey_auth\n    http-response set-header X-Served-By %s\n'],
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'passkey-auth-haproxy-'));
  return launchProxy('haproxy', { binary: '/usr/sbin/haproxy', dir, files: { 'haproxy.cfg': config }, args: ['-f', join(dir, 'haproxy.cfg'), '-db'], port: proxyPort });
}

/** One sample of a metric from an instance's Prometheus text (0 when absent), e.g. `forward_decisions_total{status="204"}`. */
export async function metric(instance: Instance, sample: string): Promise<number> {
  const { body } = await rawRequest(instance.metricsPort, { path: '/metrics' });
  const line = body.split('\n').find((candidate) => candidate.startsWith(`passkey_auth_${sample} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** The `q`-quantile (0…1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
