/**
 * Snapshots the build once per run, so that an `npm run build` during the run (another terminal,
 * a watcher) cannot swap the assets under a running test server: the server reads its HTML at
 * start-up but each asset on request, and Vite empties `dist/spa/` before writing new hashes.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The environment variable naming the snapshot's `dist/server/main.js` for support/server.ts. */
export const SERVER_MAIN_ENV = 'PASSKEY_AUTH_E2E_MAIN';

export default function globalSetup(): () => void {
  const root = resolve('.');
  if (!existsSync(join(root, 'dist/server/main.js')) || !existsSync(join(root, 'dist/spa'))) {
    throw new Error('dist/ is missing or incomplete: run "npm run build" first');
  }
  const snapshot = mkdtempSync(join(tmpdir(), 'passkey-auth-e2e-build-'));
  cpSync(join(root, 'dist'), join(snapshot, 'dist'), { recursive: true });
  // The server finds its root by package.json ("type": "module" too) and its dependencies upwards.
  cpSync(join(root, 'package.json'), join(snapshot, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(snapshot, 'node_modules'), 'dir');
  assertAssetsComplete(join(snapshot, 'dist/spa'));
  process.env[SERVER_MAIN_ENV] = join(snapshot, 'dist/server/main.js');
  return () => rmSync(snapshot, { recursive: true, force: true });
}

/** Every asset the views name is in the snapshot (it was not taken halfway through a build). */
function assertAssetsComplete(spaDir: string): void {
  const assets = new Set(existsSync(join(spaDir, 'assets')) ? readdirSync(join(spaDir, 'assets')) : []);
  for (const page of readdirSync(spaDir).filter((name) => name.endsWith('.html'))) {
    for (const [, name] of readFileSync(join(spaDir, page), 'utf8').matchAll(/\/auth\/assets\/([^"'?#\s]+)/g)) {
      if (!assets.has(name!)) throw new Error(`dist/spa/${page} names assets/${name}, which is missing: a build was running; run "npm run build" again`);
    }
  }
}
