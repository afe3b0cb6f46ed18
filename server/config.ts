/**
 * Configuration: CLI flags and environment parsed once at start-up into one
 * typed, validated object. Nothing else reads process.argv or process.env.
 */
import { isIP } from 'node:net';
import type { AccentPalette } from '../shared/pageMeta.js';
import { parseHexColor, type Rgb } from '../shared/colorContrast.js';
import { accentPalette } from './ui/accentPalette.js';
import { hostWithoutPort, isHostName } from '../shared/host.js';
import { ConfigError } from './cli/configError.js';
import { parseFlags } from './cli/commandFlags.js';

export type Listen = { kind: 'tcp'; host: string | undefined; port: number } | { kind: 'unix'; path: string };

/** An allowed ceremony origin: exact (`https://app.example.com`) or a wildcard over subdomains (`https://*.example.com`). */
export interface OriginRule {
  scheme: 'http' | 'https';
  /** Lower-case host name; with `wildcard`, the parent domain the host must be under. */
  host: string;
  /** `null` = the scheme's default port. */
  port: number | null;
  wildcard: boolean;
}

export interface Config {
  listen: Listen;
  /** Dedicated auth host, lower case, without port; `null` = every host serves everything under `/auth/`. */
  authHost: string | null;
  /** The auth host as links and redirects name it, with its port when one was given (`auth.example.com:8443`). */
  authHostAuthority: string | null;
  rpId: string;
  rpName: string;
  origins: OriginRule[];
  /** The origin used in links printed or mailed by the service (first `--origin`, or derived). */
  publicOrigin: string;
  /** Native app origins (`android:apk-key-hash:…`) allowed in the REST passkey ceremonies' token mode (`--app-origin`). */
  appOrigins: string[];
  /**
   * The OpenID Connect issuer (`https://auth.example.com/auth`): `iss` of every token and the base of
   * discovery. From `--issuer`, else `publicOrigin + '/auth'`; never derived from a request.
   */
  issuer: string;
  /** How long a rotated-in OIDC signing key is published before it signs, in ms. */
  keyRotationDelayMs: number;
  /** Where the data lives: an SQLite file (the default) or a PostgreSQL database (`--db postgres://…`). */
  database: DatabaseLocation;
  /** Addresses or CIDR ranges of proxies whose `X-Forwarded-For` is believed. */
  trustedProxies: string[];
  /** Which forward-auth decisions get a log line. */
  forwardLog: ForwardLogMode;
  /** What forward auth's `Remote-User` carries; a person without that field gets their id. */
  remoteUser: RemoteUserField;
  /** Caps on open connections and WebSockets, so a flood cannot exhaust file descriptors. */
  connections: ConnectionLimits;
  /** How the pages name and show the service. */
  branding: Branding;
  /** On SIGTERM/SIGINT, how long requests in flight and closing WebSockets may take before they are cut. */
  shutdownGraceMs: number;
  /** Where `GET /metrics` (Prometheus) is served, apart from the public listener; `null` = not served. */
  metricsListen: Listen | null;
  /** How log lines are written: `text` for people (the default), `json` for one JSON object a line. */
  logFormat: LogFormat;
}

/** An SQLite file, or a PostgreSQL connection URL (which may carry a password: print it with {@link describeDatabase}). */
export type DatabaseLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** What the pages show of the service (server/ui/ui.ts gives it to every page). */
export interface Branding {
  /** In every page's header and title: `--service-name`, else `--rp-name` when given, else "Passkey Auth". */
  serviceName: string;
  /** The header's logo (`--logo`): an https URL (plain http on loopback) or a path on the page's host. */
  logo: string | null;
  /** The shades of `--accent-color`; null keeps the built-in accent. */
  accent: AccentPalette | null;
}

export const DEFAULT_SERVICE_NAME = 'Passkey Auth';

/**
 * Connection caps. Trusted proxies are exempt from both connection caps (one proxy carries
 * every visitor, and bounds its own upstream connections); WebSockets count per client as
 * the proxy names it.
 */
export interface ConnectionLimits {
  /** Open connections from peers that are not trusted proxies, together. */
  maxConnections: number;
  /** Open connections from one such peer (IPv6 by /64). */
  maxConnectionsPerClient: number;
  /** Open WebSockets (passkey ceremonies), together. */
  maxWebSockets: number;
  /** Open WebSockets of one client. */
  maxWebSocketsPerClient: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: 10_000,
  maxConnectionsPerClient: 256,
  maxWebSockets: 1_000,
  maxWebSocketsPerClient: 16,
};

export type ForwardLogMode = 'none' | 'denied' | 'all';
const FORWARD_LOG_MODES: readonly ForwardLogMode[] = ['none', 'denied', 'all'];

export type RemoteUserField = 'id' | 'username' | 'email';
const REMOTE_USER_FIELDS: readonly RemoteUserField[] = ['id', 'username', 'email'];

export type LogFormat = 'text' | 'json';
const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

export const DEFAULT_PORT = 4401;
/** How long a rotated-in signing key is published before it signs: long enough for every app to refetch the JWKS. */
export const DEFAULT_KEY_ROTATION_DELAY_MS = 24 * 60 * 60 * 1000;

/** Shutdown grace: inside `docker stop`'s default 10 s, leaving time to close the database. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 8_000;

const OPTIONS = {
  listen: { type: 'string', short: 'l' },
  'auth-host': { type: 'string' },
  'rp-id': { type: 'string' },
  'rp-name': { type: 'string' },
  'service-name': { type: 'string' },
  logo: { type: 'string' },
  'accent-color': { type: 'string' },
  origin: { type: 'string', multiple: true },
  'app-origin': { type: 'string', multiple: true },
  issuer: { type: 'string' },
  'key-rotation-delay': { type: 'string' },
  db: { type: 'string' },
  'trusted-proxy': { type: 'string', multiple: true },
  'forward-log': { type: 'string' },
  'remote-user': { type: 'string' },
  'max-connections': { type: 'string' },
  'max-connections-per-client': { type: 'string' },
  'max-websockets': { type: 'string' },
  'max-websockets-per-client': { type: 'string' },
  'shutdown-grace': { type: 'string' },
  'metrics-listen': { type: 'string' },
  'log-format': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Environment variables standing in for flags; a flag given on the command line wins. */
const ENV = {
  listen: 'PASSKEY_AUTH_LISTEN',
  'auth-host': 'PASSKEY_AUTH_HOST',
  'rp-id': 'PASSKEY_AUTH_RP_ID',
  'rp-name': 'PASSKEY_AUTH_RP_NAME',
  'service-name': 'PASSKEY_AUTH_SERVICE_NAME',
  logo: 'PASSKEY_AUTH_LOGO',
  'accent-color': 'PASSKEY_AUTH_ACCENT_COLOR',
  origin: 'PASSKEY_AUTH_ORIGINS',
  'app-origin': 'PASSKEY_AUTH_APP_ORIGINS',
  issuer: 'PASSKEY_AUTH_ISSUER',
  'key-rotation-delay': 'PASSKEY_AUTH_KEY_ROTATION_DELAY',
  db: 'PASSKEY_AUTH_DB',
  'trusted-proxy': 'PASSKEY_AUTH_TRUSTED_PROXIES',
  'forward-log': 'PASSKEY_AUTH_FORWARD_LOG',
  'remote-user': 'PASSKEY_AUTH_REMOTE_USER',
  'max-connections': 'PASSKEY_AUTH_MAX_CONNECTIONS',
  'max-connections-per-client': 'PASSKEY_AUTH_MAX_CONNECTIONS_PER_CLIENT',
  'max-websockets': 'PASSKEY_AUTH_MAX_WEBSOCKETS',
  'max-websockets-per-client': 'PASSKEY_AUTH_MAX_WEBSOCKETS_PER_CLIENT',
  'shutdown-grace': 'PASSKEY_AUTH_SHUTDOWN_GRACE',
  'metrics-listen': 'PASSKEY_AUTH_METRICS_LISTEN',
  'log-format': 'PASSKEY_AUTH_LOG_FORMAT',
} as const;

export const USAGE = `Usage: passkey-auth [options]
       passkey-auth backup --to FILE [--db PATH] [--force]   (see passkey-auth backup --help)
       passkey-auth copy-db --from FILE --to URL            (see passkey-auth copy-db --help)

Passwordless (passkey-only) sign-in and forward auth for reverse proxies.

Options (environment variable in brackets):
  -l, --listen ADDR      Where to listen: HOST:PORT, :PORT, [::1]:PORT or unix:/path
                         (default localhost:${DEFAULT_PORT}) [PASSKEY_AUTH_LISTEN]
      --auth-host HOST   Dedicated auth host, e.g. auth.example.com (optionally :PORT for
                         links); must be the RP ID or under it [PASSKEY_AUTH_HOST]
      --rp-id DOMAIN     WebAuthn relying party ID (default localhost) [PASSKEY_AUTH_RP_ID]
      --rp-name NAME     Name shown by authenticators (default the RP ID) [PASSKEY_AUTH_RP_NAME]
      --service-name NAME
                         Name in every page's header and title (default --rp-name
                         when given, else ${DEFAULT_SERVICE_NAME}) [PASSKEY_AUTH_SERVICE_NAME]
      --logo URL         Logo in every page's header: an https:// URL, or a path such as
                         /logo.svg that the proxy serves on each host showing the pages
                         [PASSKEY_AUTH_LOGO]
      --accent-color COLOR
                         Accent of buttons, links and focus rings, #rgb or #rrggbb; shaded
                         darker or lighter on the page where a theme needs it for
                         4.5:1 contrast [PASSKEY_AUTH_ACCENT_COLOR]
      --origin URL       Origin allowed to run passkey ceremonies; repeatable; a wildcard
                         such as https://*.example.com allows every subdomain
                         (default: https://RP_ID and https://*.RP_ID; for localhost
                         names http on the listening port: http://localhost:PORT,
                         or http://example.localhost:PORT and its subdomains)
                         [PASSKEY_AUTH_ORIGINS, comma-separated]
      --app-origin ORIGIN
                         Android app allowed to sign in for tokens with the REST passkey
                         ceremonies: android:apk-key-hash:<base64url SHA-256 of its
                         signing certificate>; repeatable (docs/apps.md)
                         [PASSKEY_AUTH_APP_ORIGINS, comma-separated]
      --issuer URL       OpenID Connect issuer: the auth host's origin plus /auth
                         (default: the origin links use, plus /auth); https, or http
                         on localhost and loopback addresses [PASSKEY_AUTH_ISSUER]
      --key-rotation-delay TIME
                         How long a rotated-in signing key is published before it
                         signs, so apps caching the keys learn it first: 24h, 90m,
                         3600s or 0 (default 24h) [PASSKEY_AUTH_KEY_ROTATION_DELAY]
      --db PATH|URL      SQLite database file (default ./passkey-auth.sqlite), or a
                         PostgreSQL database: postgres://USER:PASSWORD@HOST:5432/NAME
                         (several instances can share one) [PASSKEY_AUTH_DB]
      --trusted-proxy IP Proxy address or CIDR whose X-Forwarded-For is believed;
                         repeatable [PASSKEY_AUTH_TRUSTED_PROXIES, comma-separated]
      --forward-log WHAT Log forward-auth decisions: none, denied or all
                         (default denied) [PASSKEY_AUTH_FORWARD_LOG]
      --remote-user FIELD
                         What the Remote-User header carries: id, username or email
                         (verified only); the id when a person has none (default id)
                         [PASSKEY_AUTH_REMOTE_USER]
      --max-connections N
                         Open connections from peers other than trusted proxies
                         (default ${DEFAULT_CONNECTION_LIMITS.maxConnections}) [PASSKEY_AUTH_MAX_CONNECTIONS]
      --max-connections-per-client N
                         Open connections from one such peer, IPv6 by /64
                         (default ${DEFAULT_CONNECTION_LIMITS.maxConnectionsPerClient}) [PASSKEY_AUTH_MAX_CONNECTIONS_PER_CLIENT]
      --max-websockets N Open passkey-ceremony WebSockets (default ${DEFAULT_CONNECTION_LIMITS.maxWebSockets})
                         [PASSKEY_AUTH_MAX_WEBSOCKETS]
      --max-websockets-per-client N
                         Open WebSockets of one client (default ${DEFAULT_CONNECTION_LIMITS.maxWebSocketsPerClient})
                         [PASSKEY_AUTH_MAX_WEBSOCKETS_PER_CLIENT]
      --shutdown-grace TIME
                         On SIGTERM or SIGINT, how long requests in flight may take
                         before they are cut, e.g. 8s (default) or 30s [PASSKEY_AUTH_SHUTDOWN_GRACE]
      --metrics-listen ADDR
                         Serve Prometheus metrics at GET /metrics on this separate address,
                         e.g. 127.0.0.1:9464 (same forms as --listen; default off: the
                         public address never serves them) [PASSKEY_AUTH_METRICS_LISTEN]
      --log-format FMT   Log lines as text (default) or json (one object a line, with time,
                         level, msg and a request id) [PASSKEY_AUTH_LOG_FORMAT]
  -h, --help             Show this help
  -v, --version          Show the version
`;

export type CliResult = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; config: Config };

/**
 * Parses flags and environment into a validated {@link Config}.
 * @throws {ConfigError} with a message a person can act on.
 */
export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliResult {
  const values = parseFlags(argv, OPTIONS);
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const flag = (name: keyof typeof ENV): string | undefined => {
    const value = values[name] as string | undefined;
    if (value !== undefined) return value;
    const fromEnv = env[ENV[name]];
    return fromEnv === '' ? undefined : fromEnv;
  };
  const list = (name: 'origin' | 'app-origin' | 'trusted-proxy'): string[] =>
    (values[name] as string[] | undefined) ??
    (env[ENV[name]] ?? '').split(',').map((item) => item.trim()).filter(Boolean);

  const listen = parseListen(flag('listen') ?? `localhost:${DEFAULT_PORT}`);
  const rpId = parseRpId(flag('rp-id') ?? 'localhost');
  const auth = parseAuthHost(flag('auth-host'), rpId);
  const originTexts = list('origin');
  const origins = originTexts.length > 0 ? originTexts.map(parseOrigin) : defaultOrigins(rpId, listen);
  const publicOrigin = publicOriginFor(auth, origins, rpId);
  const appOrigins = list('app-origin').map(parseAppOrigin);
  const issuerText = flag('issuer');
  const issuer = issuerText === undefined ? `${publicOrigin}${ISSUER_PATH}` : parseIssuer(issuerText, auth?.host ?? null);
  const duration = (name: 'key-rotation-delay' | 'shutdown-grace', fallback: number): number => {
    const text = flag(name);
    return text === undefined ? fallback : parseDuration(name, text);
  };
  const keyRotationDelayMs = duration('key-rotation-delay', DEFAULT_KEY_ROTATION_DELAY_MS);
  const shutdownGraceMs = duration('shutdown-grace', DEFAULT_SHUTDOWN_GRACE_MS);
  const rpName = parseName('rp-name', flag('rp-name') ?? rpId);
  // The name people chose for the service, wherever it was given; the RP ID is no such name.
  const serviceName = parseName('service-name', flag('service-name') ?? flag('rp-name') ?? DEFAULT_SERVICE_NAME);
  const logoText = flag('logo');
  const logo = logoText === undefined ? null : parseLogo(logoText);
  const accentText = flag('accent-color');
  const accent = accentText === undefined ? null : accentPalette(parseAccentColor(accentText));

  const database = parseDatabaseLocation(dbPathFrom(values.db as string | undefined, env));

  const trustedProxies = list('trusted-proxy');
  for (const proxy of trustedProxies) parseCidr(proxy);
  const forwardLog = (flag('forward-log') ?? 'denied') as ForwardLogMode;
  if (!FORWARD_LOG_MODES.includes(forwardLog)) throw new ConfigError(`--forward-log must be none, denied or all, got "${forwardLog}"`);
  const remoteUser = (flag('remote-user') ?? 'id') as RemoteUserField;
  if (!REMOTE_USER_FIELDS.includes(remoteUser)) throw new ConfigError(`--remote-user must be id, username or email, got "${remoteUser}"`);
  const metricsText = flag('metrics-listen');
  const metricsListen = metricsText === undefined ? null : parseListen(metricsText, '--metrics-listen');
  if (metricsListen && sameAddress(metricsListen, listen)) {
    throw new ConfigError(`--metrics-listen ${metricsText} is the public --listen address: give metrics their own port (e.g. 127.0.0.1:9464), so the public port never serves them`);
  }
  const logFormat = (flag('log-format') ?? 'text') as LogFormat;
  if (!LOG_FORMATS.includes(logFormat)) throw new ConfigError(`--log-format must be text or json, got "${logFormat}"`);

  const count = (name: keyof typeof ENV & `max-${string}`, fallback: number): number => {
    const text = flag(name);
    return text === undefined ? fallback : parseCount(name, text);
  };
  const connections: ConnectionLimits = {
    maxConnections: count('max-connections', DEFAULT_CONNECTION_LIMITS.maxConnections),
    maxConnectionsPerClient: count('max-connections-per-client', DEFAULT_CONNECTION_LIMITS.maxConnectionsPerClient),
    maxWebSockets: count('max-websockets', DEFAULT_CONNECTION_LIMITS.maxWebSockets),
    maxWebSocketsPerClient: count('max-websockets-per-client', DEFAULT_CONNECTION_LIMITS.maxWebSocketsPerClient),
  };

  return {
    kind: 'run',
    config: {
      listen,
      authHost: auth?.host ?? null,
      authHostAuthority: auth?.authority ?? null,
      rpId,
      rpName,
      origins,
      publicOrigin,
      appOrigins,
      issuer,
      keyRotationDelayMs,
      database,
      trustedProxies,
      forwardLog,
      remoteUser,
      connections,
      branding: { serviceName, logo, accent },
      shutdownGraceMs,
      metricsListen,
      logFormat,
    },
  };
}

/** A name people read (`--rp-name`, `--service-name`). @throws {ConfigError} */
function parseName(name: 'rp-name' | 'service-name', text: string): string {
  if (text.length > 64 || /[\u0000-\u001f\u007f]/.test(text)) throw new ConfigError(`--${name} must be at most 64 printable characters`);
  if (text.trim() === '') throw new ConfigError(`--${name} must not be blank`);
  return text;
}

/** The database as given: `--db` (`flagValue`), else PASSKEY_AUTH_DB, else the default file; for the service and its commands. @throws {ConfigError} */
export function dbPathFrom(flagValue: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const dbPath = flagValue ?? (env[ENV.db] || undefined) ?? './passkey-auth.sqlite';
  if (dbPath.trim() === '') throw new ConfigError('--db must name a file or a postgres:// URL');
  return dbPath;
}

const POSTGRES_SCHEMES = /^postgres(?:ql)?:\/\//i;

/**
 * `--db`'s value: a `postgres://` or `postgresql://` URL names a PostgreSQL database, anything
 * else an SQLite file. A URL must name a host and a database; errors never repeat its password.
 * @param flag the flag named in error messages
 * @throws {ConfigError}
 */
export function parseDatabaseLocation(text: string, flag = '--db'): DatabaseLocation {
  if (!POSTGRES_SCHEMES.test(text)) return { kind: 'sqlite', path: text };
  const expected = `${flag} expects postgres://USER:PASSWORD@HOST[:PORT]/DATABASE`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${expected}; this URL does not parse (percent-encode special characters in the user name or password)`);
  }
  const shown = describeDatabase({ kind: 'postgres', url: url.href });
  const name = decodeURIComponent(url.pathname.slice(1));
  if (name === '' || name.includes('/')) throw new ConfigError(`${expected}: name one database after the host, got "${shown}"`);
  // A Unix socket is named by ?host=/path (libpq's convention), and then the URL's host may stay empty.
  if (url.hostname === '' && !url.searchParams.get('host')) throw new ConfigError(`${expected}: the URL names no host, got "${shown}"`);
  if (url.port !== '' && (Number(url.port) < 1 || Number(url.port) > 65535)) throw new ConfigError(`${expected}: the port must be 1-65535, got "${shown}"`);
  return { kind: 'postgres', url: text };
}

/** The database for logs and messages: the file, or the URL without its password. */
export function describeDatabase(location: DatabaseLocation): string {
  if (location.kind === 'sqlite') return location.path;
  const url = new URL(location.url);
  if (url.password !== '') url.password = '***';
  return url.href;
}

/**
 * Parses `HOST:PORT`, `:PORT`, `[::1]:PORT` or `unix:/path`.
 * @param flag the flag named in error messages
 * @throws {ConfigError}
 */
export function parseListen(text: string, flag = '--listen'): Listen {
  if (text.startsWith('unix:')) {
    const path = text.slice('unix:'.length);
    if (!path.startsWith('/')) throw new ConfigError(`${flag} unix: needs an absolute path, got "${text}"`);
    return { kind: 'unix', path };
  }
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  if (!match) throw new ConfigError(`${flag} expects HOST:PORT, :PORT, [IPv6]:PORT or unix:/path, got "${text}"`);
  const port = Number(match[3]);
  if (port < 1 || port > 65535) throw new ConfigError(`${flag} port must be 1-65535, got ${match[3]}`);
  const host = match[1] ?? (match[2] || undefined);
  if (match[1] !== undefined && isIP(match[1]) !== 6) throw new ConfigError(`${flag}: "${match[1]}" is not an IPv6 address`);
  if (host !== undefined && match[1] === undefined && !isHostname(host) && isIP(host) === 0) {
    throw new ConfigError(`${flag}: "${host}" is not a host name or IP address`);
  }
  return { kind: 'tcp', host, port };
}

/** Whether two listen addresses would collide: the same socket path, or the same port where either takes every interface. */
function sameAddress(a: Listen, b: Listen): boolean {
  if (a.kind === 'unix' || b.kind === 'unix') return a.kind === 'unix' && b.kind === 'unix' && a.path === b.path;
  return a.port === b.port && (a.host === undefined || b.host === undefined || a.host.toLowerCase() === b.host.toLowerCase());
}

function isHostname(text: string): boolean {
  return isHostName(text.toLowerCase());
}

function parseRpId(text: string): string {
  const rpId = text.toLowerCase();
  if (!isHostname(rpId) || isIP(rpId) !== 0) {
    throw new ConfigError(`--rp-id must be a domain name such as example.com or localhost, got "${text}"`);
  }
  return rpId;
}

function parseAuthHost(text: string | undefined, rpId: string): { host: string; authority: string } | null {
  if (text === undefined) return null;
  const authority = text.toLowerCase();
  const host = hostWithoutPort(authority);
  const port = authority.slice(host.length);
  if (!isHostname(host) || (port !== '' && !/^:\d{1,5}$/.test(port))) {
    throw new ConfigError(`--auth-host must be a host name (optionally with :PORT), got "${text}"`);
  }
  if (rpId === 'localhost' && host !== rpId) {
    throw new ConfigError(
      `--auth-host "${host}" cannot work with the RP ID "localhost": browsers accept that RP ID only on localhost itself. ` +
        `For local testing use --rp-id example.localhost with --auth-host auth.example.localhost`,
    );
  }
  if (host !== rpId && !host.endsWith(`.${rpId}`)) {
    throw new ConfigError(
      `--auth-host "${host}" must be the RP ID "${rpId}" or a subdomain of it, or passkeys registered there ` +
        `could not be used on other hosts (set --rp-id to a parent domain of the auth host)`,
    );
  }
  return { host, authority };
}

/** Parses one `--origin`, e.g. `https://app.example.com`, `http://localhost:4401` or `https://*.example.com`. */
export function parseOrigin(text: string): OriginRule {
  const match = /^(https?):\/\/(\*\.)?([^/:?#]+)(?::(\d{1,5}))?\/?$/.exec(text.trim());
  if (!match || !isHostname(match[3]!)) {
    throw new ConfigError(`--origin expects scheme://host[:port] (a leading *. allows subdomains), got "${text}"`);
  }
  const scheme = match[1] as 'http' | 'https';
  const port = match[4] === undefined ? null : Number(match[4]);
  if (port !== null && (port < 1 || port > 65535)) throw new ConfigError(`--origin port must be 1-65535 in "${text}"`);
  return { scheme, host: match[3]!.toLowerCase(), port: port === defaultPort(scheme) ? null : port, wildcard: match[2] !== undefined };
}

/**
 * Parses one `--app-origin`: the origin Android puts in a native app's WebAuthn client data,
 * `android:apk-key-hash:` and the unpadded base64url SHA-256 of the app's signing certificate.
 */
export function parseAppOrigin(text: string): string {
  const trimmed = text.trim();
  if (!/^android:apk-key-hash:[A-Za-z0-9_-]{43}$/.test(trimmed)) {
    throw new ConfigError(`--app-origin expects android:apk-key-hash: and 43 base64url characters (the SHA-256 of the app's signing certificate), got "${text}"`);
  }
  return trimmed;
}

function defaultOrigins(rpId: string, listen: Listen): OriginRule[] {
  if (!isLocalName(rpId)) {
    return [
      { scheme: 'https', host: rpId, port: null, wildcard: false },
      { scheme: 'https', host: rpId, port: null, wildcard: true },
    ];
  }
  // Local development over plain http on the listening port. Browsers refuse the RP ID "localhost"
  // on its subdomains (it is no registrable domain), so it gets no wildcard; example.localhost does.
  const port = listen.kind === 'tcp' ? listen.port : DEFAULT_PORT;
  const exact: OriginRule = { scheme: 'http', host: rpId, port, wildcard: false };
  return rpId === 'localhost' ? [exact] : [exact, { ...exact, wildcard: true }];
}

/** localhost and *.localhost: browsers treat them as secure over plain http. */
function isLocalName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

function publicOriginFor(auth: { authority: string } | null, origins: OriginRule[], rpId: string): string {
  const exact = origins.find((rule) => !rule.wildcard);
  if (auth) {
    const scheme = exact?.scheme ?? (isLocalName(rpId) ? 'http' : 'https');
    return `${scheme}://${auth.authority}`;
  }
  const rule = exact ?? origins[0]!;
  return formatOrigin(rule.scheme, rule.host, rule.port);
}

/** The issuer's path: discovery, JWKS and the OIDC endpoints are served under `/auth/`. */
const ISSUER_PATH = '/auth';

/**
 * Parses `--issuer`: an absolute http(s) URL whose path is `/auth`, without credentials, query or
 * fragment; http only on localhost names and loopback addresses; with `--auth-host`, on that host
 * (people sign in to apps there).
 * @throws {ConfigError}
 */
export function parseIssuer(text: string, authHost: string | null): string {
  const expected = `--issuer expects an absolute URL ending in ${ISSUER_PATH}, such as https://auth.example.com${ISSUER_PATH}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${expected}, got "${text}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`${expected}, got "${text}"`);
  if (url.username !== '' || url.password !== '' || text.includes('?') || text.includes('#')) {
    throw new ConfigError(`--issuer must not carry credentials, a query or a fragment, got "${text}"`);
  }
  if (url.pathname !== ISSUER_PATH) {
    throw new ConfigError(`${expected} (discovery and the OIDC endpoints live under ${ISSUER_PATH}/; no trailing slash), got "${text}"`);
  }
  if (url.protocol === 'http:' && !isLoopbackOrLocal(url.hostname)) {
    throw new ConfigError(`--issuer must use https (plain http only on localhost names and loopback addresses), got "${text}"`);
  }
  if (authHost !== null && url.hostname !== authHost) {
    throw new ConfigError(`--issuer must be on the auth host "${authHost}" (people sign in to apps there), got "${text}"`);
  }
  return `${url.origin}${ISSUER_PATH}`;
}

/**
 * Parses `--logo`: an https URL (plain http only on localhost names and loopback addresses), or
 * an absolute path, loaded from the host of the page showing it. It goes into every page's HTML
 * (escaped) and its origin into the Content-Security-Policy; quotes, spaces, `<`, `>` and
 * backslashes have no place in a URL and are refused rather than guessed at.
 * @throws {ConfigError}
 */
export function parseLogo(text: string): string {
  const expected = '--logo expects an https:// URL or a path on this site such as /logo.svg';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]!.toLowerCase();
  if (scheme !== undefined && scheme !== 'https' && scheme !== 'http') {
    throw new ConfigError(`${expected}; ${scheme}: URLs are refused, got "${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`);
  }
  if (/[\s"'`<>\\\u0000-\u001f\u007f]/.test(text)) {
    throw new ConfigError(`--logo must not contain spaces, quotes, <, > or backslashes, got ${JSON.stringify(text)}`);
  }
  if (text.startsWith('//')) throw new ConfigError(`${expected}; "${text}" starts with "//", which names a host, not a path`);
  if (text.startsWith('/')) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${expected}, got "${text}"`);
  }
  if (scheme === 'http' && !isLoopbackOrLocal(url.hostname)) {
    throw new ConfigError(`--logo must use https: browsers block plain http images on https pages (plain http only on localhost names and loopback addresses), got "${text}"`);
  }
  if (url.username !== '' || url.password !== '') throw new ConfigError(`--logo must not carry credentials, got "${text}"`);
  return url.href;
}

/** Parses `--accent-color`: strictly `#rgb` or `#rrggbb`, the forms every stylesheet reads alike. @throws {ConfigError} */
export function parseAccentColor(text: string): Rgb {
  const color = parseHexColor(text);
  if (!color) throw new ConfigError(`--accent-color expects #rgb or #rrggbb, such as #0b7285, got "${text}"`);
  return color;
}

/** localhost names and loopback addresses (`127.0.0.0/8`, `[::1]`), where browsers and clients accept plain http. */
function isLoopbackOrLocal(hostname: string): boolean {
  return isLocalName(hostname) || hostname === '[::1]' || (isIP(hostname) === 4 && hostname.startsWith('127.'));
}

function defaultPort(scheme: 'http' | 'https'): number {
  return scheme === 'https' ? 443 : 80;
}

export function formatOrigin(scheme: string, host: string, port: number | null): string {
  return port === null ? `${scheme}://${host}` : `${scheme}://${host}:${port}`;
}

/** An origin rule as `--origin` writes it: `http://localhost:4401`, `https://*.example.com`. */
export function formatOriginRule(rule: OriginRule): string {
  return formatOrigin(rule.scheme, rule.wildcard ? `*.${rule.host}` : rule.host, rule.port);
}

/** Parses an IPv4/IPv6 address or CIDR range. @throws {ConfigError} */
export function parseCidr(text: string): { address: string; bits: number } {
  const [address = '', bitsText] = text.split('/');
  const family = isIP(address);
  const maxBits = family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? maxBits : Number(bitsText);
  if (family === 0 || !Number.isInteger(bits) || bits < 0 || bits > maxBits) {
    throw new ConfigError(`--trusted-proxy expects an IP address or CIDR range such as 10.0.0.0/8, got "${text}"`);
  }
  return { address, bits };
}

const DURATION_UNITS_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** Longer than any sensible rotation delay, and far from overflowing a timestamp. */
const MAX_DURATION_MS = 365 * DURATION_UNITS_MS.d;

/** Parses a duration such as `24h`, `90m`, `3600s`, `7d` or `0`, into ms. @throws {ConfigError} */
export function parseDuration(name: string, text: string): number {
  const match = /^(\d{1,9})([smhd])$/.exec(text.trim());
  const ms = text.trim() === '0' ? 0 : match ? Number(match[1]) * DURATION_UNITS_MS[match[2] as keyof typeof DURATION_UNITS_MS] : NaN;
  if (!(ms <= MAX_DURATION_MS)) throw new ConfigError(`--${name} expects a duration such as 24h, 90m, 3600s or 0 (at most 365d), got "${text}"`);
  return ms;
}

/** Parses a positive whole number for a `--max-*` flag. @throws {ConfigError} */
function parseCount(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(`--${name} must be a whole number of at least 1, got "${text}"`);
  }
  return value;
}
