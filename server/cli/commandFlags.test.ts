import { describe, expect, it } from 'vitest';
import { parseFlags, requiredFlag } from './commandFlags.js';
import { ConfigError } from './configError.js';

const OPTIONS = {
  to: { type: 'string' },
  origin: { type: 'string', multiple: true },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The ConfigError `attempt` throws (failing the test if it throws none, or another error). */
function configErrorOf(attempt: () => unknown): ConfigError {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, got none');
}

describe('parseFlags', () => {
  it('reads the declared flags, long and short, repeated where declared so', () => {
    expect(parseFlags(['--to', 'b.sqlite', '--force', '--origin', 'https://a.example', '--origin=https://b.example'], OPTIONS)).toEqual({
      to: 'b.sqlite',
      force: true,
      origin: ['https://a.example', 'https://b.example'],
    });
    expect(parseFlags(['-h'], OPTIONS)).toEqual({ help: true });
    expect(parseFlags([], OPTIONS)).toEqual({});
  });

  it('refuses an unknown flag, a stray argument and a flag without its value, with node\'s sentence', () => {
    expect(configErrorOf(() => parseFlags(['--bogus'], OPTIONS)).message).toMatch(/^Unknown option '--bogus'/);
    expect(configErrorOf(() => parseFlags(['--to', 'b.sqlite', 'extra'], OPTIONS)).message).toMatch(/^Unexpected argument 'extra'/);
    expect(configErrorOf(() => parseFlags(['--to'], OPTIONS)).message).toMatch(/^Option '--to <value>' argument missing/);
    expect(configErrorOf(() => parseFlags(['--force=yes'], OPTIONS)).message).toMatch(/^Option '--force' does not take an argument/);
  });
});

describe('requiredFlag', () => {
  it('gives the value, and refuses a missing or blank one with the sentence given', () => {
    expect(requiredFlag('b.sqlite', 'needs --to')).toBe('b.sqlite');
    for (const value of [undefined, '', '   ']) expect(configErrorOf(() => requiredFlag(value, 'backup needs --to FILE')).message).toBe('backup needs --to FILE');
  });
});
