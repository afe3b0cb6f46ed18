import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildNeeded } from './buildFreshness.mjs';

let root: string;

/** Writes `path` under the package root with a modification time of `seconds`. */
function file(path: string, seconds: number) {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, '');
  utimesSync(full, seconds, seconds);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'passkey-auth-freshness-'));
  file('package.json', 100);
  file('server/main.ts', 100);
  file('spa/src/views/SignInView.vue', 100);
  file('shared/ws.ts', 100);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('buildNeeded', () => {
  it('asks for a build when either half of dist/ is missing', () => {
    expect(buildNeeded(root)).toBe('dist/server/main.js is missing');
    file('dist/server/main.js', 200);
    expect(buildNeeded(root)).toBe('dist/spa/main.html is missing');
  });

  it('is satisfied when dist/ is newer than every source', () => {
    file('dist/server/main.js', 200);
    file('dist/spa/main.html', 200);
    expect(buildNeeded(root)).toBeNull();
  });

  it('names a source changed since the build, in any source folder or top-level file', () => {
    file('dist/server/main.js', 200);
    file('dist/spa/main.html', 200);
    file('spa/src/views/SignInView.vue', 300);
    expect(buildNeeded(root)).toBe('spa/src/views/SignInView.vue changed since the last build');
    file('spa/src/views/SignInView.vue', 100);
    file('package-lock.json', 300);
    expect(buildNeeded(root)).toBe('package-lock.json changed since the last build');
  });

  it('compares with the older half of the build, and ignores tests', () => {
    file('dist/server/main.js', 200);
    file('dist/spa/main.html', 400);
    file('server/main.test.ts', 300);
    expect(buildNeeded(root)).toBeNull();
    file('shared/ws.ts', 300);
    expect(buildNeeded(root)).toBe('shared/ws.ts changed since the last build');
  });
});
