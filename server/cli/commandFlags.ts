/**
 * Reading a command's flags, the same way for `passkey-auth` and each of its sub-commands:
 * every flag declared, nothing else accepted, every mistake a {@link ConfigError}.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from './configError.js';

/** node's option declarations: `{ to: { type: 'string' }, help: { type: 'boolean', short: 'h' } }`. */
type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

type StrictParse<Options extends ParseArgsOptionsConfig> = { args: string[]; options: Options; strict: true; allowPositionals: false };

/** The flags' values, typed after `Options` (a string flag is `string | undefined`, and so on). */
export type FlagValues<Options extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<StrictParse<Options>>>['values'];

/**
 * Parses `argv` against `options` strictly: an unknown flag, a flag without its value or a stray
 * argument is refused.
 * @param argv the arguments after the command's name
 * @param options node's `parseArgs` option declarations
 * @throws {ConfigError} with node's sentence, e.g. "Unknown option '--bogus'. …"
 * @example
 * const values = parseFlags(argv, { to: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
 */
export function parseFlags<Options extends ParseArgsOptionsConfig>(argv: readonly string[], options: Options): FlagValues<Options> {
  try {
    return parseArgs<StrictParse<Options>>({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

/**
 * A flag the command cannot do without: its value, unless missing or blank.
 * @param missing the sentence for its absence, e.g. "backup needs --to FILE: where the backup goes"
 * @throws {ConfigError} with `missing`
 */
export function requiredFlag(value: string | undefined, missing: string): string {
  if (value === undefined || value.trim() === '') throw new ConfigError(missing);
  return value;
}
