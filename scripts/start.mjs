#!/usr/bin/env node
// `npm start -- [options]`: builds dist/ when it is missing or older than the sources, then runs
// the service in this process with the same options (dist/server/main.js reads process.argv).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildNeeded } from './buildFreshness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reason = buildNeeded(root);
if (reason) {
  console.log(`passkey-auth: building first (${reason})`);
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
await import(pathToFileURL(join(root, 'dist/server/main.js')).href);
