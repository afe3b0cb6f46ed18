/**
 * What start-up loads for a configuration (server/main.ts): an SQLite instance without
 * `--metrics-listen` never loads the PostgreSQL driver nor prom-client, and still works in
 * full; with `--metrics-listen`, the metrics are recorded and served from the start.
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
import { freePort } from './testing/testServer.js';

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

describe('a server on SQLite with metrics off (the default)', () => {
  it(
    'signs in and passes forward auth without ever loading pg or prom-client',
    async () => {
      const server = await startServerProcess(join(dir, 'off.sqlite'), [], { nodeArgs: ['--import', PRINT_LOADED_PACKAGES] });
      const status = await signInAndForward(server);
      const packages = loadedPackages(await stop(server));
      expect(status).toBe(204);
      // The probe sees CommonJS packages: better-sqlite3 is one, so an empty list proves nothing.
      expect(packages).toContain('better-sqlite3');
      expect(packages).not.toContain('pg');
      expect(packages).not.toContain('prom-client');
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});

describe('a server with --metrics-listen', () => {
  it(
    'counts from the start and serves the metrics on their own address',
    async () => {
      const metricsPort = await freePort();
      const server = await startServerProcess(join(dir, 'on.sqlite'), ['--metrics-listen', `127.0.0.1:${metricsPort}`]);
      try {
        expect(await signInAndForward(server)).toBe(204);
        const scrape = await rawRequest(metricsPort, { path: '/metrics', host: `127.0.0.1:${metricsPort}` });
        expect(scrape.status).toBe(200);
        expect(scrape.body).toContain('passkey_auth_forward_decisions_total{status="204"} 1');
        expect(scrape.body).toContain('passkey_auth_ceremonies_succeeded_total{kind="authenticate"} 1');
        expect(scrape.body).toMatch(/^passkey_auth_database_query_duration_seconds_count\{operation="select"\} [1-9]/m);
        expect(scrape.body).toContain('process_resident_memory_bytes');
      } finally {
        await stop(server);
      }
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
