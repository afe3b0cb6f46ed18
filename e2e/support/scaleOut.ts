/**
 * Several Passkey Auth instances on one PostgreSQL behind a proxy, as docs/scale-out.md shows
 * them: the built server started once per instance (`node dist/server/main.js --db postgres://…`),
 * each with its own metrics address, and HAProxy, nginx or Caddy running the page's configuration.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { APP_HOST, DEDICATED_RP_ID } from './hosts.js';
import { freePort, spawnCaptured, type CapturedProcess } from './childProcess.js';
import { serverMain } from './server.js';
import { configBlocks, documentedConfig, proxyDoc, startConfiguredProxy, substitute, type RunningProxy } from './reverseProxy.js';
import { rawRequest, type RawResponse } from '../../server/testing/rawHttp.js';
import { openCeremony } from '../../server/testing/wsClient.js';
import type { SoftAuthenticator } from '../../server/testing/softAuthenticator.js';

export const SCALE_OUT_DOC = resolve('docs/scale-out.md');
/** The instance addresses docs/scale-out.md's configurations name, in order. */
const DOCUMENTED_INSTANCES = ['10.0.0.11:4401', '10.0.0.12:4401', '10.0.0.13:4401'];
/** Passkey Auth's one address in the single-instance pages of docs/proxy/. */
const SINGLE_INSTANCE = '127.0.0.1:4401';
/** Where the page's HAProxy forward-auth listener is. */
const DOCUMENTED_FORWARD = '127.0.0.1:4400';
/** The app's address in every page. */
const DOCUMENTED_APP = '127.0.0.1:8080';
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

/** The documented instance addresses, each replaced by the address of the running instance. */
function instanceAddresses(instances: readonly Instance[]): [string, string][] {
  return DOCUMENTED_INSTANCES.map((address, index) => [address, `127.0.0.1:${instances[index]!.port}`]);
}

/**
 * Starts HAProxy with docs/scale-out.md's configuration in front of `instances` and the app on
 * `appPort`. For the test only, every answer from an instance names it in `X-Served-By`.
 */
export async function startBalancer(proxyPort: number, instances: readonly Instance[], appPort: number): Promise<RunningProxy> {
  const blocks = configBlocks('haproxy', SCALE_OUT_DOC);
  if (blocks.length !== 1) throw new Error(`${SCALE_OUT_DOC} must hold exactly one \`\`\`haproxy block; found ${blocks.length}`);
  const config = substitute(blocks[0]!, [
    [DOCUMENTED_FORWARD, `127.0.0.1:${await freePort()}`],
    [DOCUMENTED_APP, `127.0.0.1:${appPort}`],
    ...instanceAddresses(instances),
    ['backend passkey_auth\n', 'backend passkey_auth\n    http-response set-header X-Served-By %s\n'],
  ]);
  return startConfiguredProxy('haproxy', config, proxyPort);
}

/** The proxies docs/scale-out.md scales out by replacing directives of their page's configuration. */
export type ScaledProxyKind = 'nginx' | 'caddy';

/**
 * Starts `kind` in front of `instances` and the app on `appPort` with its page's configuration
 * (docs/proxy/) in which each of docs/scale-out.md's blocks for it replaces its directive.
 * @throws when the pages disagree (see {@link scaleOutDirective}), or a directive naming the
 * single instance is left over.
 */
export function startScaledProxy(kind: ScaledProxyKind, proxyPort: number, instances: readonly Instance[], appPort: number): Promise<RunningProxy> {
  const blocks = configBlocks(kind, SCALE_OUT_DOC);
  if (blocks.length === 0) throw new Error(`${SCALE_OUT_DOC} holds no block for ${kind}`);
  const config = blocks.reduce(scaleOutDirective, documentedConfig(kind));
  if (config.includes(SINGLE_INSTANCE)) throw new Error(`${proxyDoc(kind)} names ${SINGLE_INSTANCE} in a directive that ${SCALE_OUT_DOC} does not replace`);
  return startConfiguredProxy(kind, substitute(config, [[DOCUMENTED_APP, `127.0.0.1:${appPort}`], ...instanceAddresses(instances)]), proxyPort);
}

/**
 * `config` (a single-instance page's configuration) with `block` (docs/scale-out.md's) in place of
 * the directive it scales out: the one whose first line reads like the block's once the list of
 * instances is the single address, with or without a `{ … }` block of its own. The directive's
 * lines that do not name that address must all stay in `block`: so a change to the page (say one
 * more copied header) that the scale-out block misses fails here.
 * @throws when no directive matches, or `block` leaves out one of its lines.
 */
export function scaleOutDirective(config: string, block: string): string {
  const blockLines = block.trimEnd().split('\n');
  const withoutBrace = (line: string) => line.trim().replace(/\s*\{$/, '');
  const opener = withoutBrace(blockLines[0]!.replace(DOCUMENTED_INSTANCES.join(' '), SINGLE_INSTANCE));
  const lines = config.split('\n');
  const start = lines.findIndex((line) => withoutBrace(line) === opener);
  if (start < 0) throw new Error(`no directive "${opener}" in the single-instance configuration for this block of ${SCALE_OUT_DOC} to replace:\n${block}`);
  const indent = /^\s*/.exec(lines[start]!)![0];
  const end = lines[start]!.trimEnd().endsWith('{') ? lines.indexOf(`${indent}}`, start) : start;
  const kept = new Set(blockLines.map((line) => line.trim()));
  const dropped = lines.slice(start, end + 1).map((line) => line.trim()).filter((line) => !line.includes(SINGLE_INSTANCE) && !kept.has(line));
  if (dropped.length > 0) throw new Error(`this block of ${SCALE_OUT_DOC} leaves out lines of the single-instance "${opener}": ${JSON.stringify(dropped)}`);
  lines.splice(start, end - start + 1, ...blockLines.map((line) => indent + line));
  return lines.join('\n');
}

/** Forward auth asked of one instance directly for the app host `host`, as a proxy asks it. */
export function forwardOn(instance: Instance, host: string, cookie: string): Promise<RawResponse> {
  return rawRequest(instance.port, { path: '/auth/api/forward', host, headers: [['Cookie', cookie], ['Accept', 'application/json']] });
}

/**
 * Milliseconds from `since` (a `performance.now()`) until forward auth on `instance` refuses
 * `cookie`, polling back to back.
 * @throws on any answer but 204 and 401, or when it still passes after 5 s.
 */
export async function untilRefused(instance: Instance, host: string, cookie: string, since: number): Promise<number> {
  for (;;) {
    const { status } = await forwardOn(instance, host, cookie);
    if (status === 401) return performance.now() - since;
    if (status !== 204) throw new Error(`${instance.name} answered forward auth with ${status}`);
    if (performance.now() - since > 5_000) throw new Error(`${instance.name} still accepts the session after 5 s`);
  }
}

/** Where a sign-in from Node runs: the ceremony's and set-session's ports (an instance's or a proxy's), for the app host `host`. */
export interface SignInRoute {
  ceremonyPort: number;
  sessionPort: number;
  host: string;
  /** `X-Forwarded-For`: the client the instances see (they trust this process as a proxy). */
  forwardedFor?: string;
}

/** A passkey authentication with `key` and its exchange code redeemed; returns the session's `name=value` cookie. */
export async function signIn(key: SoftAuthenticator, { ceremonyPort, sessionPort, host, forwardedFor }: SignInRoute): Promise<string> {
  const origin = `http://${host}`;
  const socket = await openCeremony(ceremonyPort, '/auth/ws/authenticate', { origin, host, forwardedFor });
  socket.ws.send(JSON.stringify({ type: 'start' }));
  const options = await socket.next();
  if (options.type !== 'options' || options.ceremony !== 'authenticate') throw new Error(`expected authenticate options, got ${JSON.stringify(options)}`);
  socket.ws.send(JSON.stringify({ type: 'response', response: key.authenticate(options.options, origin) }));
  const result = await socket.next();
  if (result.type !== 'success') throw new Error(`sign-in failed: ${JSON.stringify(result)}`);
  const headers: [string, string][] = [['Authorization', `Bearer ${result.code}`], ['Origin', origin]];
  if (forwardedFor) headers.push(['X-Forwarded-For', forwardedFor]);
  const redeemed = await rawRequest(sessionPort, { method: 'POST', path: '/auth/api/set-session', host, headers });
  if (redeemed.status !== 200) throw new Error(`set-session answered ${redeemed.status}: ${redeemed.body}`);
  const setCookie = String(redeemed.headers['set-cookie']);
  return setCookie.slice(0, setCookie.indexOf(';'));
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
