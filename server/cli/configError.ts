/**
 * A mistake on the command line or in the environment, and how every `passkey-auth` command
 * answers one: a sentence a person can act on, a pointer to `--help`, exit code 2, no stack trace.
 */

/** A flag or environment variable a person must fix; its message says what was expected and what arrived. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The exit code for a {@link ConfigError}. */
export const EXIT_USAGE = 2;

/**
 * Writes a {@link ConfigError} to stderr as `command` says it, and returns the exit code to end with.
 * @param command what the person typed to start it, e.g. `passkey-auth backup`
 * @throws whatever `error` is when it is not a ConfigError (a bug, which deserves its stack)
 * @example
 * } catch (error) {
 *   return reportConfigError('passkey-auth backup', error);
 * }
 */
export function reportConfigError(command: string, error: unknown): number {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${command}: ${error.message}\nRun "${command} --help" for the options.\n`);
  return EXIT_USAGE;
}
