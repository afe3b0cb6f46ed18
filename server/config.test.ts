import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_LIMITS, describeDatabase, parseCli, parseListen, parseAccentColor, parseLogo, parseOrigin, type Config } from './config.js';
import { ConfigError } from './cli/configError.js';

function run(argv: string[], env: Record<string, string> = {}): Config {
  const result = parseCli(argv, env);
  if (result.kind !== 'run') throw new Error(`expected run, got ${result.kind}`);
  return result.config;
}

describe('parseCli', () => {
  it('has working defaults for local development', () => {
    const config = run([]);
    expect(config.listen).toEqual({ kind: 'tcp', host: 'localhost', port: 4401 });
    expect(config.authHost).toBeNull();
    expect(config.rpId).toBe('localhost');
    expect(config.database).toEqual({ kind: 'sqlite', path: './passkey-auth.sqlite' });
    expect(config.publicOrigin).toBe('http://localhost:4401');
  });

  it('takes what Remote-User carries from --remote-user or PASSKEY_AUTH_REMOTE_USER, the id by default', () => {
    expect(run([]).remoteUser).toBe('id');
    expect(run(['--remote-user', 'username']).remoteUser).toBe('username');
    expect(run([], { PASSKEY_AUTH_REMOTE_USER: 'email' }).remoteUser).toBe('email');
    expect(() => run([], { PASSKEY_AUTH_REMOTE_USER: 'uuid' })).toThrow('--remote-user must be id, username or email, got "uuid"');
  });

  it('reads the environment, flags winning over it', () => {
    const env = { PASSKEY_AUTH_HOST: 'auth.example.com', PASSKEY_AUTH_DB: '/data/a.sqlite', PASSKEY_AUTH_RP_ID: 'example.com' };
    expect(run([], env).authHost).toBe('auth.example.com');
    expect(run(['--db', '/tmp/b.sqlite'], env).database).toEqual({ kind: 'sqlite', path: '/tmp/b.sqlite' });
  });

  it('selects PostgreSQL for a postgres:// or postgresql:// URL, from --db or PASSKEY_AUTH_DB', () => {
    const url = 'postgres://auth:s3cret@db.internal:5432/passkey_auth';
    expect(run(['--db', url]).database).toEqual({ kind: 'postgres', url });
    expect(run([], { PASSKEY_AUTH_DB: 'postgresql://auth@db/passkey_auth' }).database).toEqual({ kind: 'postgres', url: 'postgresql://auth@db/passkey_auth' });
    expect(run(['--db', 'postgres:///passkey_auth?host=/run/postgresql']).database.kind).toBe('postgres');
  });

  it('describes the database for logs without the password', () => {
    expect(describeDatabase({ kind: 'postgres', url: 'postgres://auth:s3cret@db:5432/passkey_auth' })).toBe('postgres://auth:***@db:5432/passkey_auth');
    expect(describeDatabase({ kind: 'postgres', url: 'postgresql://auth@db/passkey_auth' })).toBe('postgresql://auth@db/passkey_auth');
    expect(describeDatabase({ kind: 'sqlite', path: './passkey-auth.sqlite' })).toBe('./passkey-auth.sqlite');
  });

  it('refuses a PostgreSQL URL without a database or host, never repeating its password', () => {
    const cases: [string, string][] = [
      ['postgres://auth:s3cret@db.internal:5432', '--db expects postgres://USER:PASSWORD@HOST[:PORT]/DATABASE: name one database after the host, got "postgres://auth:***@db.internal:5432"'],
      ['postgres://auth:s3cret@db.internal/a/b', 'name one database after the host'],
      ['postgres://:s3cret@/passkey_auth', 'does not parse'],
      ['postgres:///passkey_auth', 'the URL names no host, got "postgres:///passkey_auth"'],
      ['postgres://auth:s3cret@db:99999/x', 'does not parse'],
      ['postgres://auth:s3c ret@[db/x', 'does not parse'],
    ];
    for (const [url, message] of cases) {
      let error: unknown;
      try {
        run(['--db', url]);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).not.toContain('s3c');
    }
  });

  it('accepts an auth host equal to or under the RP ID, keeping its port for links only', () => {
    const config = run(['--rp-id', 'example.com', '--auth-host', 'Auth.Example.com:8443']);
    expect(config.authHost).toBe('auth.example.com');
    expect(config.authHostAuthority).toBe('auth.example.com:8443');
    expect(config.publicOrigin).toBe('https://auth.example.com:8443');
    expect(run(['--rp-id', 'example.com', '--auth-host', 'example.com']).authHost).toBe('example.com');
  });

  it('refuses an auth host outside the RP ID and says why', () => {
    expect(() => run(['--rp-id', 'example.com', '--auth-host', 'auth.example.org'])).toThrow(/subdomain of it/);
    expect(() => run(['--rp-id', 'example.com', '--auth-host', 'badexample.com'])).toThrow(ConfigError);
    expect(() => run(['--auth-host', 'auth.example.com'])).toThrow(/RP ID "localhost"/);
    expect(() => run(['--auth-host', 'auth.localhost'])).toThrow(/example\.localhost/);
    expect(run(['--rp-id', 'example.localhost', '--auth-host', 'auth.example.localhost:4401']).publicOrigin).toBe('http://auth.example.localhost:4401');
  });

  it('derives ceremony origins from the RP ID', () => {
    expect(run(['--rp-id', 'example.com']).origins).toEqual([
      { scheme: 'https', host: 'example.com', port: null, wildcard: false },
      { scheme: 'https', host: 'example.com', port: null, wildcard: true },
    ]);
    expect(run(['--origin', 'https://a.example.com', '--origin', 'http://b.example.com:8080']).origins).toHaveLength(2);
    expect(run([], { PASSKEY_AUTH_ORIGINS: 'https://a.test, https://*.a.test' }).origins).toHaveLength(2);
  });

  it('reads connection caps from flags and environment, with defaults', () => {
    expect(run([]).connections).toEqual(DEFAULT_CONNECTION_LIMITS);
    const env = { PASSKEY_AUTH_MAX_CONNECTIONS: '500', PASSKEY_AUTH_MAX_WEBSOCKETS_PER_CLIENT: '4' };
    expect(run(['--max-connections-per-client', '20', '--max-websockets', '50'], env).connections).toEqual({
      maxConnections: 500,
      maxConnectionsPerClient: 20,
      maxWebSockets: 50,
      maxWebSocketsPerClient: 4,
    });
    expect(() => run([], { PASSKEY_AUTH_MAX_WEBSOCKETS: 'lots' })).toThrow(/--max-websockets must be a whole number/);
  });

  it('takes the OIDC issuer from --issuer or PASSKEY_AUTH_ISSUER, else the public origin plus /auth', () => {
    expect(run([]).issuer).toBe('http://localhost:4401/auth');
    expect(run(['--rp-id', 'example.com', '--auth-host', 'auth.example.com:8443']).issuer).toBe('https://auth.example.com:8443/auth');
    expect(run(['--rp-id', 'example.com', '--origin', 'https://app.example.com']).issuer).toBe('https://app.example.com/auth');
    expect(run(['--rp-id', 'example.com', '--auth-host', 'auth.example.com', '--issuer', 'https://Auth.Example.com:443/auth']).issuer).toBe('https://auth.example.com/auth');
    expect(run([], { PASSKEY_AUTH_ISSUER: 'http://127.0.0.1:9000/auth' }).issuer).toBe('http://127.0.0.1:9000/auth');
    expect(run(['--issuer', 'http://[::1]:9000/auth']).issuer).toBe('http://[::1]:9000/auth');
    expect(run(['--issuer', 'http://login.example.localhost/auth']).issuer).toBe('http://login.example.localhost/auth');
  });

  it.each([
    ['auth.example.com/auth', /absolute URL ending in \/auth/],
    ['ftp://auth.example.com/auth', /absolute URL ending in \/auth/],
    ['https://auth.example.com', /ending in \/auth, such as .*no trailing slash/],
    ['https://auth.example.com/auth/', /no trailing slash/],
    ['https://auth.example.com/sso', /ending in \/auth/],
    ['https://auth.example.com/auth?x=1', /query or a fragment/],
    ['https://auth.example.com/auth#top', /query or a fragment/],
    ['https://user:pw@auth.example.com/auth', /credentials/],
    ['http://auth.example.com/auth', /must use https/],
    ['http://10.0.0.1/auth', /must use https/],
    ['https://other.example.com/auth', /on the auth host "auth\.example\.com"/],
  ])('refuses --issuer %s and says why', (issuer, message) => {
    expect(() => run(['--rp-id', 'example.com', '--auth-host', 'auth.example.com', '--issuer', issuer])).toThrow(message);
  });

  it('names the service from --service-name, else --rp-name when given, else "Passkey Auth"; the RP name stays the authenticators\' own', () => {
    expect(run(['--rp-id', 'example.com']).branding.serviceName).toBe('Passkey Auth');
    expect(run(['--rp-name', 'Example Corp']).branding.serviceName).toBe('Example Corp');
    expect(run([], { PASSKEY_AUTH_RP_NAME: 'Example Corp' }).branding.serviceName).toBe('Example Corp');
    const named = run(['--rp-name', 'Example Corp', '--service-name', 'Example Sign-in']);
    expect(named.branding.serviceName).toBe('Example Sign-in');
    expect(named.rpName).toBe('Example Corp');
    expect(run([], { PASSKEY_AUTH_SERVICE_NAME: 'Acme <Login> & "Co"' }).branding.serviceName).toBe('Acme <Login> & "Co"');
    expect(() => run(['--service-name', ' '])).toThrow('--service-name must not be blank');
    expect(() => run(['--service-name', 'x'.repeat(65)])).toThrow('--service-name must be at most 64 printable characters');
    expect(() => run(['--service-name', 'Acme\nLogin'])).toThrow('--service-name must be at most 64 printable characters');
  });

  it('takes the signing-key rotation delay as a duration, 24 hours by default', () => {
    expect(run([]).keyRotationDelayMs).toBe(24 * 3_600_000);
    expect(run(['--key-rotation-delay', '90m']).keyRotationDelayMs).toBe(90 * 60_000);
    expect(run([], { PASSKEY_AUTH_KEY_ROTATION_DELAY: '3600s' }).keyRotationDelayMs).toBe(3_600_000);
    expect(run(['--key-rotation-delay', '7d']).keyRotationDelayMs).toBe(7 * 86_400_000);
    expect(run(['--key-rotation-delay', '0']).keyRotationDelayMs).toBe(0);
    for (const bad of ['24', '1.5h', '-1h', 'soon', '366d', '']) {
      expect(() => run([`--key-rotation-delay=${bad}`])).toThrow(/--key-rotation-delay expects a duration such as 24h/);
    }
  });

  it('reads the shutdown grace as a duration from --shutdown-grace or PASSKEY_AUTH_SHUTDOWN_GRACE, 8 s by default', () => {
    expect(run([]).shutdownGraceMs).toBe(8_000);
    expect(run([], { PASSKEY_AUTH_SHUTDOWN_GRACE: '25s' }).shutdownGraceMs).toBe(25_000);
    expect(run(['--shutdown-grace', '2m'], { PASSKEY_AUTH_SHUTDOWN_GRACE: '25s' }).shutdownGraceMs).toBe(120_000);
    expect(run(['--shutdown-grace', '0']).shutdownGraceMs).toBe(0);
    expect(() => run(['--shutdown-grace', '10'])).toThrow(/--shutdown-grace expects a duration such as 24h/);
  });

  it('answers help and version without running', () => {
    expect(parseCli(['--help'], {}).kind).toBe('help');
    expect(parseCli(['-v'], {}).kind).toBe('version');
  });

  it.each([
    [['--bogus']],
    [['positional']],
    [['--listen', 'nonsense']],
    [['--listen', ':0']],
    [['--listen', ':70000']],
    [['--listen', 'unix:relative']],
    [['--rp-id', 'https://example.com']],
    [['--rp-id', '127.0.0.1']],
    [['--origin', 'example.com']],
    [['--origin', 'ftp://example.com']],
    [['--trusted-proxy', '10.0.0.0/99']],
    [['--db', '']],
    [['--forward-log', 'verbose']],
    [['--remote-user', 'name']],
    [['--remote-user', 'Email']],
    [['--max-connections', '0']],
    [['--max-connections-per-client', '-5']],
    [['--max-websockets', '1.5']],
    [['--max-websockets-per-client', 'many']],
    [['--shutdown-grace', '2.5s']],
  ])('refuses %j with a ConfigError', (argv) => {
    expect(() => run(argv)).toThrow(ConfigError);
  });
});

describe('--metrics-listen and --log-format', () => {
  it('serves no metrics and logs text by default', () => {
    expect(run([]).metricsListen).toBeNull();
    expect(run([]).logFormat).toBe('text');
  });

  it('takes a metrics address and a log format from flags or the environment', () => {
    expect(run(['--metrics-listen', '127.0.0.1:9464']).metricsListen).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 9464 });
    expect(run([], { PASSKEY_AUTH_METRICS_LISTEN: 'unix:/run/metrics.sock' }).metricsListen).toEqual({ kind: 'unix', path: '/run/metrics.sock' });
    expect(run(['--log-format', 'json']).logFormat).toBe('json');
    expect(run([], { PASSKEY_AUTH_LOG_FORMAT: 'json' }).logFormat).toBe('json');
  });

  it.each([
    ['9464', '--metrics-listen expects HOST:PORT, :PORT, [IPv6]:PORT or unix:/path, got "9464"'],
    ['127.0.0.1:70000', '--metrics-listen port must be 1-65535, got 70000'],
    ['unix:metrics.sock', '--metrics-listen unix: needs an absolute path, got "unix:metrics.sock"'],
    ['bad_host:9464', '--metrics-listen: "bad_host" is not a host name or IP address'],
  ])('refuses the metrics address %j and names the flag', (text, message) => {
    expect(() => run(['--metrics-listen', text])).toThrow(message);
  });

  it('refuses a metrics address that is the public one', () => {
    expect(() => run(['--listen', ':8080', '--metrics-listen', '127.0.0.1:8080'])).toThrow(/is the public --listen address/);
    expect(() => run(['--metrics-listen', 'localhost:4401'])).toThrow(ConfigError);
    expect(run(['--listen', '127.0.0.1:8080', '--metrics-listen', '127.0.0.2:8080']).metricsListen).toMatchObject({ port: 8080 });
  });

  it('refuses an unknown log format', () => {
    expect(() => run(['--log-format', 'yaml'])).toThrow('--log-format must be text or json, got "yaml"');
  });
});

describe('--app-origin', () => {
  const hash = 'a'.repeat(43);
  it('takes Android app origins from flags or PASSKEY_AUTH_APP_ORIGINS, none by default', () => {
    expect(run([]).appOrigins).toEqual([]);
    expect(run(['--app-origin', `android:apk-key-hash:${hash}`]).appOrigins).toEqual([`android:apk-key-hash:${hash}`]);
    expect(run([], { PASSKEY_AUTH_APP_ORIGINS: `android:apk-key-hash:${hash}, android:apk-key-hash:${'b'.repeat(43)}` }).appOrigins).toHaveLength(2);
  });

  it('refuses anything but android:apk-key-hash: and a base64url SHA-256', () => {
    for (const text of ['https://example.com', `android:apk-key-hash:${hash}=`, 'android:apk-key-hash:abc']) {
      expect(() => run(['--app-origin', text])).toThrow(/--app-origin expects android:apk-key-hash:/);
    }
  });
});

describe('parseListen', () => {
  it.each([
    ['localhost:4401', { kind: 'tcp', host: 'localhost', port: 4401 }],
    [':8080', { kind: 'tcp', host: undefined, port: 8080 }],
    ['[::1]:9000', { kind: 'tcp', host: '::1', port: 9000 }],
    ['0.0.0.0:1', { kind: 'tcp', host: '0.0.0.0', port: 1 }],
    ['unix:/run/passkey.sock', { kind: 'unix', path: '/run/passkey.sock' }],
  ])('parses %s', (text, expected) => {
    expect(parseListen(text)).toEqual(expected);
  });
});

describe('parseOrigin', () => {
  it('drops default ports and lower-cases hosts', () => {
    expect(parseOrigin('https://App.Example.com:443/')).toEqual({ scheme: 'https', host: 'app.example.com', port: null, wildcard: false });
    expect(parseOrigin('https://*.example.com')).toMatchObject({ host: 'example.com', wildcard: true });
  });
});

describe('parseLogo', () => {
  it.each([
    ['https://cdn.example.com/brand/logo.svg', 'https://cdn.example.com/brand/logo.svg'],
    ['HTTPS://CDN.Example.com:8443/logo.png?v=2&size=64', 'https://cdn.example.com:8443/logo.png?v=2&size=64'],
    ['/logo.svg', '/logo.svg'],
    ['/brand/logo%20dark.svg?v=1', '/brand/logo%20dark.svg?v=1'],
    ['http://localhost:8080/logo.svg', 'http://localhost:8080/logo.svg'],
    ['http://brand.example.localhost/logo.svg', 'http://brand.example.localhost/logo.svg'],
    ['http://127.0.0.1:9000/logo.svg', 'http://127.0.0.1:9000/logo.svg'],
    ['http://[::1]:9000/logo.svg', 'http://[::1]:9000/logo.svg'],
  ])('takes %s', (text, expected) => {
    expect(parseLogo(text)).toBe(expected);
  });

  it.each([
    ['javascript:alert(1)', '--logo expects an https:// URL or a path on this site such as /logo.svg; javascript: URLs are refused'],
    ['JavaScript:alert(document.cookie)', 'javascript: URLs are refused'],
    ['data:image/svg+xml,<svg onload="alert(1)"/>', 'data: URLs are refused'],
    ['ftp://example.com/logo.svg', 'ftp: URLs are refused'],
    ['http://cdn.example.com/logo.svg', '--logo must use https: browsers block plain http images on https pages'],
    ['http://10.0.0.5/logo.svg', '--logo must use https'],
    ['https://cdn.example.com/logo.svg" onerror="alert(1)', 'must not contain spaces, quotes, <, > or backslashes'],
    ["/logo.svg'", 'must not contain spaces, quotes'],
    ['/my logo.svg', 'must not contain spaces, quotes'],
    ['/logo.svg\n', 'must not contain spaces, quotes'],
    ['https://cdn.example.com/<b>.svg', 'must not contain spaces, quotes'],
    ['/\\evil.example/logo.svg', 'must not contain spaces, quotes'],
    ['//evil.example/logo.svg', 'starts with "//", which names a host, not a path'],
    ['logo.svg', '--logo expects an https:// URL or a path on this site such as /logo.svg, got "logo.svg"'],
    ['https://', '--logo expects an https:// URL'],
    ['https://user:secret@cdn.example.com/logo.svg', '--logo must not carry credentials'],
  ])('refuses %j and says why', (text, message) => {
    expect(() => parseLogo(text)).toThrow(ConfigError);
    expect(() => parseLogo(text)).toThrow(message);
  });

  it('is read from --logo or PASSKEY_AUTH_LOGO; none by default', () => {
    expect(run([]).branding.logo).toBeNull();
    expect(run(['--logo', '/logo.svg']).branding.logo).toBe('/logo.svg');
    expect(run([], { PASSKEY_AUTH_LOGO: 'https://cdn.example.com/logo.svg' }).branding.logo).toBe('https://cdn.example.com/logo.svg');
    expect(() => run([], { PASSKEY_AUTH_LOGO: 'javascript:alert(1)' })).toThrow(ConfigError);
  });
});

describe('parseAccentColor', () => {
  it.each([
    ['#0b7285', [11, 114, 133]],
    ['#0B7285', [11, 114, 133]],
    ['#fc0', [255, 204, 0]],
    ['#FFF', [255, 255, 255]],
  ])('takes %s', (text, expected) => {
    expect(parseAccentColor(text)).toEqual(expected);
  });

  it.each(['0b7285', '#0b72', '#0b7285ff', '#ggg', 'teal', 'rgb(11, 114, 133)', ' #0b7285', '#0b7285;', ''])('refuses %j and names the forms it takes', (text) => {
    expect(() => parseAccentColor(text)).toThrow(ConfigError);
    expect(() => parseAccentColor(text)).toThrow(`--accent-color expects #rgb or #rrggbb, such as #0b7285, got "${text}"`);
  });

  it('is read from --accent-color or PASSKEY_AUTH_ACCENT_COLOR as the shades of that colour; none by default', () => {
    expect(run([]).branding.accent).toBeNull();
    expect(run(['--accent-color', '#0b7285']).branding.accent).toMatchObject({ 'accent-fill': '#0b7285', 'accent-text': '#ffffff' });
    expect(run([], { PASSKEY_AUTH_ACCENT_COLOR: '#fc0' }).branding.accent).toMatchObject({ 'accent-fill': '#ffcc00', 'accent-text': '#000000' });
    expect(() => run([], { PASSKEY_AUTH_ACCENT_COLOR: 'gold' })).toThrow('--accent-color expects #rgb or #rrggbb');
  });
});
