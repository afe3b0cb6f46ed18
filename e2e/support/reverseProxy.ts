/**
 * Runs a real reverse proxy (nginx, Caddy, HAProxy) in front of a test server with the very
 * configuration its page in docs/proxy/ shows: the one fenced block of the proxy's language is
 * taken from the markdown, and only the placeholders the page names are replaced (listen port,
 * Passkey Auth's and the app's addresses, the app host name, file paths).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { APP_HOST } from './hosts.js';
import { LOCAL_COOKIE_NAME } from '../../server/sessions/cookie.js';
import { rawRequest } from '../../server/testing/rawHttp.js';
import { freePort, spawnCaptured } from './childProcess.js';

export type ProxyKind = 'nginx' | 'caddy' | 'haproxy';

export const PROXY_KINDS: readonly ProxyKind[] = ['nginx', 'caddy', 'haproxy'];

/** Where the pieces listen. */
export interface ProxyPorts {
  /** The proxy itself, on 127.0.0.1. */
  proxy: number;
  /** Passkey Auth. */
  auth: number;
  /** The protected app (the test upstream). */
  app: number;
}

export interface RunningProxy {
  kind: ProxyKind;
  port: number;
  /** `http://app.example.localhost:PORT`: the app host, through the proxy. */
  origin: string;
  /** Everything the proxy printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** What one proxy needs to run a configuration. */
interface ProxyDefinition {
  binary: string;
  doc: string;
  /** The info string of the fenced block holding the configuration. */
  fence: string;
  /** The files to write into `dir`, and the command line; `config` has its addresses replaced already. */
  prepare(config: string, proxyPort: number, dir: string): Promise<{ files: Record<string, string>; args: string[]; env?: Record<string, string> }>;
}

const DOCS = resolve('docs/proxy');
/** The Lua action HAProxy loads, used in place (its page shows it verbatim). */
export const HAPROXY_LUA = join(DOCS, 'haproxy/passkey-auth.lua');
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 3_000;

/** The addresses every page uses for Passkey Auth and the app; each proxy replaces its own placeholders. */
function addressPlaceholders(ports: ProxyPorts): [string, string][] {
  return [
    ['127.0.0.1:4401', `127.0.0.1:${ports.auth}`],
    ['127.0.0.1:8080', `127.0.0.1:${ports.app}`],
  ];
}

const PROXIES: Record<ProxyKind, ProxyDefinition> = {
  nginx: {
    binary: '/usr/sbin/nginx',
    doc: join(DOCS, 'nginx.md'),
    fence: 'nginx',
    async prepare(config, proxyPort, dir) {
      const site = substitute(config, [
        ['listen 80;', `listen 127.0.0.1:${proxyPort};`],
        ['server_name app.example.com;', `server_name ${APP_HOST};`],
        // The page strips the cookie of HTTPS hosts; the test host is a localhost name.
        ['__Host-passkey-auth', LOCAL_COOKIE_NAME],
      ]);
      // The page's file goes into the http block, as /etc/nginx/conf.d/ files do; the rest keeps nginx inside `dir`.
      const main = [
        // Workers must read nothing outside `dir`, which only its owner may enter.
        ...(process.getuid?.() === 0 ? ['user root;'] : []),
        'worker_processes 1;',
        'events { worker_connections 256; }',
        'http {',
        '    access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `    ${name}_temp_path ${join(dir, name)};`),
        `    include ${join(dir, 'passkey-auth.conf')};`,
        '}',
        '',
      ].join('\n');
      return {
        files: { 'passkey-auth.conf': site, 'nginx.conf': main },
        args: ['-e', 'stderr', '-p', dir, '-c', join(dir, 'nginx.conf'), '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`],
      };
    },
  },
  caddy: {
    binary: '/usr/bin/caddy',
    doc: join(DOCS, 'caddy.md'),
    fence: 'caddyfile',
    async prepare(config, proxyPort, dir) {
      const caddyfile = substitute(config, [
        ['admin localhost:2019', `admin 127.0.0.1:${await freePort()}\n\tdefault_bind 127.0.0.1`],
        ['app.example.com {', `http://${APP_HOST}:${proxyPort} {`],
      ]);
      return {
        files: { Caddyfile: caddyfile },
        args: ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'],
        // Caddy's autosaved config and certificate storage stay in `dir`.
        env: { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') },
      };
    },
  },
  haproxy: {
    binary: '/usr/sbin/haproxy',
    doc: join(DOCS, 'haproxy.md'),
    fence: 'haproxy',
    async prepare(config, proxyPort, dir) {
      const cfg = substitute(config, [
        ['bind :80', `bind 127.0.0.1:${proxyPort}`],
        ['/etc/haproxy/passkey-auth.lua', HAPROXY_LUA],
      ]);
      return { files: { 'haproxy.cfg': cfg }, args: ['-f', join(dir, 'haproxy.cfg'), '-db'] };
    },
  },
};

/** The markdown page documenting `kind`. */
export function proxyDoc(kind: ProxyKind): string {
  return PROXIES[kind].doc;
}

/** The contents of every fenced code block in `markdown` whose info string is `info`. */
export function fencedBlocks(markdown: string, info: string): string[] {
  const blocks: string[] = [];
  const fence = /^(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm;
  for (const match of markdown.matchAll(fence)) if (match[2] === info) blocks.push(match[3]!);
  return blocks;
}

/** Every block of `kind`'s configuration language in the markdown file `doc` (by default its page in docs/proxy/). */
export function configBlocks(kind: ProxyKind, doc = PROXIES[kind].doc): string[] {
  return fencedBlocks(readFileSync(doc, 'utf8'), PROXIES[kind].fence);
}

/** The one configuration block of a proxy's page. @throws when there is not exactly one. */
export function documentedConfig(kind: ProxyKind): string {
  const blocks = configBlocks(kind);
  if (blocks.length !== 1) throw new Error(`${PROXIES[kind].doc} must hold exactly one \`\`\`${PROXIES[kind].fence} block (the tested configuration); found ${blocks.length}`);
  return blocks[0]!;
}

/**
 * Replaces each placeholder everywhere in `text`.
 * @throws when a placeholder does not occur: the page and the test disagree.
 */
export function substitute(text: string, replacements: [string, string][]): string {
  let result = text;
  for (const [placeholder, value] of replacements) {
    if (!result.includes(placeholder)) throw new Error(`placeholder "${placeholder}" is missing from the documented configuration`);
    result = result.replaceAll(placeholder, value);
  }
  return result;
}

/**
 * Starts `kind` with its documented configuration and resolves once Passkey Auth answers
 * through it (`GET /auth/api/health` on the app host).
 * @throws when the proxy is not installed, refuses the configuration, or never answers.
 */
export function startProxy(kind: ProxyKind, ports: ProxyPorts): Promise<RunningProxy> {
  return startConfiguredProxy(kind, substitute(documentedConfig(kind), addressPlaceholders(ports)), ports.proxy);
}

/**
 * Starts `kind` with `config`, a configuration of its page's shape whose addresses are replaced
 * already: the proxy's own placeholders (listen address, host name, file paths) are filled in here.
 * @throws like {@link startProxy}.
 */
export async function startConfiguredProxy(kind: ProxyKind, config: string, proxyPort: number): Promise<RunningProxy> {
  const definition = PROXIES[kind];
  const dir = mkdtempSync(join(tmpdir(), `passkey-auth-${kind}-`));
  const { files, args, env } = await definition.prepare(config, proxyPort, dir);
  return launchProxy(kind, { binary: definition.binary, dir, files, args, env, port: proxyPort });
}

/** A proxy's prepared run: its files go into `dir` (a fresh temp dir, removed at stop). */
interface ProxyLaunch {
  binary: string;
  dir: string;
  files: Record<string, string>;
  args: string[];
  env?: Record<string, string>;
  /** Where it listens for the app host. */
  port: number;
}

/**
 * Writes the files, starts the proxy and resolves once Passkey Auth answers through it
 * (`GET /auth/api/health` on the app host).
 * @throws when the proxy is not installed, refuses the configuration, or never answers.
 */
async function launchProxy(kind: ProxyKind, { binary, dir, files, args, env, port }: ProxyLaunch): Promise<RunningProxy> {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run scripts/system-deps.sh (installs nginx-light, caddy, haproxy)`);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  for (const name of Object.keys(env ?? {})) mkdirSync(env![name]!, { recursive: true });

  // SIGKILL after a grace period: Caddy waits for open connections.
  const { child, output, stop } = spawnCaptured(binary, args, { dir, cwd: dir, env: { ...process.env, ...env }, stopTimeoutMs: STOP_TIMEOUT_MS });
  let exited = false;
  child.once('exit', () => (exited = true));

  const host = `${APP_HOST}:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (exited) throw new Error(`${kind} exited before it was ready:\n${output()}`);
      const status = await rawRequest(port, { path: '/auth/api/health', host }).then((response) => response.status, () => 0);
      if (status === 200) break;
      if (Date.now() > deadline) throw new Error(`${kind} did not pass /auth/api/health to Passkey Auth in ${READY_TIMEOUT_MS} ms (last status ${status}):\n${output()}`);
      await new Promise((wait) => setTimeout(wait, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { kind, port, origin: `http://${host}`, output, stop };
}
