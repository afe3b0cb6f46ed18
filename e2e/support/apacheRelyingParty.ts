/**
 * Apache httpd with Debian's mod_auth_openidc: a real OpenID Connect relying party this project did
 * not write. It runs the configuration docs/oidc.md shows (its one ```apache block, placeholders
 * replaced) on a free loopback port, and passes what it lets through to the test upstream
 * (upstream.ts), which shows the `OIDC_CLAIM_*` headers mod_auth_openidc added.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rawRequest } from '../../server/testing/rawHttp.js';
import { spawnCaptured } from './childProcess.js';
import { fencedBlocks, substitute } from './reverseProxy.js';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';
const DOC = resolve('docs/oidc.md');
/** The client id the page's configuration uses; the test registers the client under it. */
export const APACHE_CLIENT_ID = 'apache';
/** The protected location of the page's configuration. */
export const APACHE_PROTECTED_PATH = '/protected';
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 3_000;

export interface ApacheOptions {
  /** Where Apache listens on 127.0.0.1 (chosen before, because the client's redirect URI names it). */
  port: number;
  /** Passkey Auth's discovery document. */
  discoveryUrl: string;
  clientSecret: string;
  /** The test upstream that receives the requests Apache lets through. */
  upstreamPort: number;
}

export interface RunningApache {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** What mod_auth_openidc receives the code at; register it as the client's redirect URI. */
  redirectUri: string;
  output(): string;
  stop(): Promise<void>;
}

/** The redirect URI Apache on `port` uses. */
export const apacheRedirectUri = (port: number): string => `http://127.0.0.1:${port}${APACHE_PROTECTED_PATH}/redirect_uri`;

/** The page's configuration for these addresses. @throws when the page does not hold exactly one ```apache block. */
function documentedConfig(options: ApacheOptions): string {
  const blocks = fencedBlocks(readFileSync(DOC, 'utf8'), 'apache');
  if (blocks.length !== 1) throw new Error(`${DOC} must hold exactly one \`\`\`apache block (the tested configuration); found ${blocks.length}`);
  if (!blocks[0]!.includes(`OIDCClientID ${APACHE_CLIENT_ID}\n`)) throw new Error(`${DOC}: the Apache configuration must use OIDCClientID ${APACHE_CLIENT_ID}, the client the test registers`);
  return substitute(blocks[0]!, [
    ['https://auth.example.com/auth/.well-known/openid-configuration', options.discoveryUrl],
    ['THE-SECRET-SHOWN-ONCE', options.clientSecret],
    ['https://app.example.com/protected/redirect_uri', apacheRedirectUri(options.port)],
    ['A-LONG-RANDOM-STRING', randomBytes(24).toString('base64url')],
  ]);
}

/** The server around the page's block: modules, files inside `dir`, and the way on to the upstream. */
function mainConfig(options: ApacheOptions, dir: string): string {
  const modules = ['mpm_event', 'authn_core', 'authz_core', 'authz_user', 'proxy', 'proxy_http', 'auth_openidc'];
  return [
    `ServerRoot ${dir}`,
    `DefaultRuntimeDir ${dir}`,
    `PidFile ${join(dir, 'httpd.pid')}`,
    `Mutex file:${dir} default`,
    `Listen 127.0.0.1:${options.port}`,
    `ServerName 127.0.0.1:${options.port}`,
    // The log goes to our pipe through cat: Apache cannot open /dev/stderr when it is a socket.
    'ErrorLog "|/bin/cat"',
    'LogLevel warn auth_openidc:info',
    // Apache refuses to serve as root; the children need nothing of `dir` but what the parent opened.
    ...(process.getuid?.() === 0 ? ['User nobody', 'Group nogroup'] : []),
    ...modules.map((name) => `LoadModule ${name}_module ${join(MODULES, `mod_${name}.so`)}`),
    `ProxyPass ${APACHE_PROTECTED_PATH}/ http://127.0.0.1:${options.upstreamPort}${APACHE_PROTECTED_PATH}/`,
    documentedConfig(options),
    '',
  ].join('\n');
}

/**
 * Starts Apache in the foreground with the page's configuration; resolves once it answers.
 * @throws when Apache or the module is missing, or Apache refuses the configuration.
 */
export async function startApache(options: ApacheOptions): Promise<RunningApache> {
  if (!existsSync(APACHE) || !existsSync(join(MODULES, 'mod_auth_openidc.so'))) {
    throw new Error(`Apache with mod_auth_openidc is missing (${APACHE}, ${MODULES}/mod_auth_openidc.so): run scripts/system-deps.sh (installs apache2, libapache2-mod-auth-openidc)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'passkey-auth-apache-'));
  // Root's Apache children run as nobody and must reach the mutex files in `dir`.
  chmodSync(dir, 0o755);
  const config = join(dir, 'httpd.conf');
  writeFileSync(config, mainConfig(options, dir));
  const { child, output, stop } = spawnCaptured(APACHE, ['-f', config, '-DFOREGROUND'], { dir, cwd: dir, env: { ...process.env, LANG: 'C' }, stopTimeoutMs: STOP_TIMEOUT_MS });
  let exited = false;
  child.once('exit', () => (exited = true));

  const origin = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (exited) throw new Error(`Apache exited before it was ready:\n${output()}`);
      // Anything but a refused connection: the protected path answers with a redirect to the provider.
      const status = await rawRequest(options.port, { path: '/', host: `127.0.0.1:${options.port}` }).then((response) => response.status, () => 0);
      if (status !== 0) break;
      if (Date.now() > deadline) throw new Error(`Apache did not answer in ${READY_TIMEOUT_MS} ms:\n${output()}`);
      await new Promise((wait) => setTimeout(wait, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, redirectUri: apacheRedirectUri(options.port), output, stop };
}
