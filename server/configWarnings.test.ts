import { describe, expect, it } from 'vitest';
import { parseCli, type Config } from './config.js';
import { configWarnings } from './configWarnings.js';

function config(...argv: string[]): Config {
  const cli = parseCli(argv, {});
  if (cli.kind !== 'run') throw new Error('expected a config');
  return cli.config;
}

describe('configWarnings', () => {
  it('has nothing to say about the defaults, locally or in production', () => {
    expect(configWarnings(config())).toEqual([]);
    expect(configWarnings(config('--rp-id', 'example.com', '--auth-host', 'auth.example.com'))).toEqual([]);
    expect(configWarnings(config('--rp-id', 'example.localhost', '--auth-host', 'auth.example.localhost:4401'))).toEqual([]);
    expect(configWarnings(config('--origin', 'https://localhost:8443', '--origin', 'http://localhost:4401'))).toEqual([]);
  });

  it('names an origin outside the RP ID (127.0.0.1 for localhost, another domain)', () => {
    const warnings = configWarnings(config('--rp-id', 'example.com', '--origin', 'https://app.example.com', '--origin', 'https://app.example.org', '--origin', 'http://127.0.0.1:4401'));
    expect(warnings).toEqual([
      expect.stringMatching(/^--origin https:\/\/app\.example\.org is not under the RP ID "example\.com"/),
      expect.stringMatching(/^--origin http:\/\/127\.0\.0\.1:4401 is not under the RP ID "example\.com"/),
    ]);
  });

  it('names plain http away from localhost, with the https origin to use', () => {
    const [warning] = configWarnings(config('--rp-id', 'example.com', '--origin', 'http://auth.example.com:4401'));
    expect(warning).toMatch(/^--origin http:\/\/auth\.example\.com:4401 is plain http: .* give --origin https:\/\/auth\.example\.com\.$/);
  });

  it('names an auth host that no origin allows', () => {
    const warnings = configWarnings(config('--rp-id', 'example.com', '--auth-host', 'auth.example.com', '--origin', 'https://app.example.com'));
    expect(warnings).toEqual([expect.stringMatching(/^--auth-host auth\.example\.com is not among the --origin values: .* Add --origin https:\/\/auth\.example\.com/)]);
  });

  it('names an issuer on an origin that cannot run passkey ceremonies', () => {
    expect(configWarnings(config('--issuer', 'http://127.0.0.1:4401/auth'))).toEqual([
      expect.stringMatching(/^--issuer http:\/\/127\.0\.0\.1:4401\/auth is not on an --origin: .* Add --origin http:\/\/127\.0\.0\.1:4401 or change --issuer\.$/),
    ]);
    expect(configWarnings(config('--issuer', 'http://localhost:4401/auth'))).toEqual([]);
  });
});
