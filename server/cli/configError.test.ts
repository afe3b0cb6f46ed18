import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, EXIT_USAGE, reportConfigError } from './configError.js';

const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterEach(() => stderr.mockClear());
afterAll(() => stderr.mockRestore());
const written = () => stderr.mock.calls.map(([chunk]) => String(chunk)).join('');

describe('reportConfigError', () => {
  it('says the mistake as the command, points to its --help, and gives exit code 2', () => {
    expect(reportConfigError('passkey-auth copy-db', new ConfigError('copy-db needs --from FILE'))).toBe(EXIT_USAGE);
    expect(EXIT_USAGE).toBe(2);
    expect(written()).toBe('passkey-auth copy-db: copy-db needs --from FILE\nRun "passkey-auth copy-db --help" for the options.\n');
  });

  it('throws any other error on, unprinted: a bug keeps its stack', () => {
    const bug = new TypeError('x is undefined');
    expect(() => reportConfigError('passkey-auth', bug)).toThrow(bug);
    expect(written()).toBe('');
  });
});
