#!/usr/bin/env node
// `npm start -- [options]`: builds dist/ when it is missing or older than the sources, then runs
// the service in this process with the same options (dist/server/main.js reads process.argv).
// It does not set the Docker image's MALLOC_ARENA_MAX and NODE_OPTIONS: they act only when a
// process starts, and re-running the service as a child for them would put a second process
// between it and its signals; it takes them from the caller's environment (docs/operations.md, "Memory").
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
