// Whether dist/ must be built before the service starts: `npm start` builds only then, so that
// a start takes a second instead of a full Vite and tsc build.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the build reads: source folders (walked, tests left out) and single files. */
const SOURCE_DIRS = ['server', 'spa', 'shared'];
const SOURCE_FILES = ['vite.config.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
/** What the build writes last in each half (tsc for the server, Vite for the pages). */
const OUTPUTS = ['dist/server/main.js', 'dist/spa/main.html'];

/**
 * Why the build in `root` is missing or out of date, or null when dist/ is newer than every source.
 * @param {string} root the package folder
 * @returns {string | null}
 */
export function buildNeeded(root) {
  let builtAt = Infinity;
  for (const output of OUTPUTS) {
    const time = modifiedAt(join(root, output));
    if (time === null) return `${output} is missing`;
    builtAt = Math.min(builtAt, time);
  }
  for (const file of SOURCE_FILES) {
    if ((modifiedAt(join(root, file)) ?? 0) > builtAt) return `${file} changed since the last build`;
  }
  for (const dir of SOURCE_DIRS) {
    const changed = newerFile(join(root, dir), builtAt);
    if (changed) return `${changed.slice(root.length + 1)} changed since the last build`;
  }
  return null;
}

/** @returns {number | null} */
function modifiedAt(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** The first file under `dir` modified after `time` (tests and node_modules aside), or null. */
function newerFile(dir, time) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules') continue;
      const found = newerFile(path, time);
      if (found) return found;
    } else if (!entry.name.includes('.test.') && (modifiedAt(path) ?? 0) > time) {
      return path;
    }
  }
  return null;
}
