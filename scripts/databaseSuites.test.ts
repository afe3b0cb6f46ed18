import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { databaseSuites } from './databaseSuites.mjs';

let root: string;

function file(path: string, source = '') {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, source);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'passkey-auth-suites-'));
  file('server/testing/testServer.ts');
  file('server/testing/testDatabase.ts');
  file('server/testing/flows.ts', "import { startTestServer } from './testServer.js';\n");
  file('server/testing/types.ts', "import type { TestServer } from './testServer.js';\n");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it('picks the suites that reach a test server or test database through their imports', () => {
  file('server/api/direct.test.ts', "import { startTestServer } from '../testing/testServer.js';\n");
  file('server/api/throughFlows.test.ts', "import {\n  signIn,\n  api,\n} from '../testing/flows.js';\n");
  file('server/db/own.test.ts', "import { openTestDatabase } from '../testing/testDatabase.js';\n");
  file('server/pure.test.ts', "import { parseCli } from './config.js';\n");
  file('server/typesOnly.test.ts', "import type { TestServer } from './testing/testServer.js';\nimport './testing/types.js';\n");
  file('server/process.test.ts', "import { spawn } from 'node:child_process';\nimport { api } from './testing/flows.js';\n");
  expect(databaseSuites(root)).toEqual(['server/api/direct.test.ts', 'server/api/throughFlows.test.ts', 'server/db/own.test.ts']);
});

it('finds the real ones: integration suites in, pure ones and process suites out', () => {
  const suites = databaseSuites(join(import.meta.dirname, '..'));
  expect(suites).toEqual(expect.arrayContaining(['server/api/account.test.ts', 'server/ws/ceremonies.test.ts', 'server/db/oidcGrants.test.ts']));
  expect(suites).not.toContain('server/config.test.ts');
  expect(suites).not.toContain('server/shutdown.test.ts');
});
