/**
 * What start-up loads for a configuration (server/main.ts): an SQLite instance never loads
 * the PostgreSQL driver, and still works in full.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROCESS_TEST_TIMEOUT_MS, startServerProcess, type ServerProcess } from './testing/serverProcess.js';
import { PRINT_LOADED_PACKAGES, loadedPackages } from './testing/loadedPackages.js';
import { SoftAuthenticator } from './testing/softAuthenticator.js';
import { registerPasskey, signIn } from './testing/flows.js';
import { rawRequest } from './testing/rawHttp.js';

const dir = mkdtempSync(join(tmpdir(), 'passkey-auth-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Registers the first passkey, signs in and asks forward auth: a ceremony, queries, a forward decision. */
async function signInAndForward(server: ServerProcess): Promise<number> {
  const page = { origin: `http://localhost:${server.port}`, host: `localhost:${server.port}` };
  const admin = new SoftAuthenticator();
  await registerPasskey(server.port, admin, page, server.bootstrapToken);
  const cookie = await signIn(server.port, admin, page);
  return (await rawRequest(server.port, { path: '/auth/api/forward', host: page.host, headers: { cookie } })).status;
}

/** Stops the server cleanly; resolves to everything it printed. */
async function stop(server: ServerProcess): Promise<string> {
  server.child.kill('SIGTERM');
  expect((await server.exited).code).toBe(0);
  return server.output();
}

describe('a server on SQLite', () => {
  it(
    'signs in and passes forward auth without ever loading pg',
    async () => {
      const server = await startServerProcess(join(dir, 'off.sqlite'), [], { nodeArgs: ['--import', PRINT_LOADED_PACKAGES] });
      const status = await signInAndForward(server);
      const packages = loadedPackages(await stop(server));
      expect(status).toBe(204);
      // The probe sees CommonJS packages: better-sqlite3 is one, so an empty list proves nothing.
      expect(packages).toContain('better-sqlite3');
      expect(packages).not.toContain('pg');
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
