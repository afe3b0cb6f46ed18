/**
 * The built server the benchmark measures. It builds nothing itself: it stops when
 * dist/ is missing and warns when the sources are newer than the build, which would
 * measure old code (and seed with migrations the built server may not know).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Fatal } from './workspace.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'dist');

/** Newest modification time of the non-test TypeScript sources under `dir`. */
function newestSource(dir: string): number {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .reduce((latest, name) => Math.max(latest, statSync(join(ROOT, dir, name)).mtimeMs), 0);
}

/**
 * Checks that dist/ holds a built server and SPA.
 * @throws Fatal when something is missing; only warns when the build is older than server/ or shared/
 */
export function checkBuild(): void {
  const needed = ['server/main.js', 'spa'].map((file) => join(DIST, file));
  const missing = needed.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Fatal(`dist/ is missing or incomplete (${missing.map((file) => file.slice(ROOT.length + 1)).join(', ')}): run \`npm run build\` first`);
  }
  const built = statSync(join(DIST, 'server/main.js')).mtimeMs;
  if (Math.max(newestSource('server'), newestSource('shared')) > built) {
    console.warn('bench: warning: server/ or shared/ has sources newer than dist/: run `npm run build` to measure the current code');
  }
}
