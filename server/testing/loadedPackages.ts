/**
 * Which npm packages a server process loaded, for tests that a configuration never loads one:
 * the process runs with `--import` {@link PRINT_LOADED_PACKAGES}, which prints them as it exits.
 */
import { join } from 'node:path';
import { packageRoot } from '../packageRoot.js';

/** The preload to pass as `--import`. */
export const PRINT_LOADED_PACKAGES = join(packageRoot(), 'server', 'testing', 'printLoadedPackages.ts');

/** The start of the line it prints, followed by a JSON array of package names. */
export const LOADED_PACKAGES = 'loaded packages: ';

/** `…/node_modules/@scope/name/lib/x.js` → `@scope/name`; null outside node_modules. */
export function packageOf(path: string): string | null {
  return /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1] ?? null;
}

/** The packages named on the {@link LOADED_PACKAGES} line of a process's output. */
export function loadedPackages(output: string): string[] {
  const line = output.split('\n').find((text) => text.startsWith(LOADED_PACKAGES));
  if (line === undefined) throw new Error(`no "${LOADED_PACKAGES}" line in the output:\n${output}`);
  return JSON.parse(line.slice(LOADED_PACKAGES.length)) as string[];
}
