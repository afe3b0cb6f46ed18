import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { bootstrap } from '../bootstrap/bootstrap.js';
import { recordAudit } from '../db/audit.js';
import { AUDIT_RETENTION_MS, SWEEP_JOB, startSweeping, sweep } from './sweep.js';
import type { JobLeader } from '../cluster/jobLeader.js';
import { MAX_SIGNED_TOKEN_LIFETIME_S } from '../../shared/oidc.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('sweep', () => {
  it('drops lapsed links and audit entries past retention, keeping the rest', async () => {
    const { db } = server.deps.database;
    await bootstrap(db, Date.now());
    const count = async (table: 'reset_tokens' | 'audit_log') => (await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    await recordAudit(db, { action: 'sign_in', actorUserId: null }, Date.now() - AUDIT_RETENTION_MS - 1000);
    await recordAudit(db, { action: 'sign_in', actorUserId: null }, Date.now());
    expect(await count('reset_tokens')).toBe(1);
    await sweep(server.services);
    expect(await count('audit_log')).toBe(1);
    expect(await count('reset_tokens')).toBe(1);
    server.advanceClock(25 * 60 * 60 * 1000);
    await sweep(server.services);
    expect(await count('reset_tokens')).toBe(0);
  });

  it('deletes OIDC signing keys once they have left the JWKS, never the signing one', async () => {
    const { db } = server.deps.database;
    const kids = async () => (await db.selectFrom('oidc_signing_keys').select('kid').orderBy('signs_from').execute()).map((row) => row.kid);
    await server.services.signingKeys.ensureKey('RS256');
    const [old] = await kids();
    const rotated = await server.services.signingKeys.rotate('RS256', { userId: 'admin', ip: null });
    await sweep(server.services);
    expect(await kids()).toEqual([old, rotated.kid]);
    server.advanceClock(server.deps.config.keyRotationDelayMs + MAX_SIGNED_TOKEN_LIFETIME_S * 1000);
    await sweep(server.services);
    expect(await kids()).toEqual([rotated.kid]);
  });
});

describe('startSweeping', () => {
  it('sweeps only when this instance leads the job', async () => {
    const { db } = server.deps.database;
    const count = async () => (await db.selectFrom('audit_log').select(db.fn.countAll<number>().as('n')).where('at', '<', Date.now() - AUDIT_RETENTION_MS).executeTakeFirstOrThrow()).n;
    const asked: string[] = [];
    const leader = (leads: boolean): JobLeader => ({ leads: async (job) => (asked.push(job), leads), close: async () => {} });
    await recordAudit(db, { action: 'sign_in', actorUserId: null }, Date.now() - AUDIT_RETENTION_MS - 1000);

    await startSweeping({ ...server.services, leader: leader(false) })();
    expect(await count()).toBe(1);
    await startSweeping({ ...server.services, leader: leader(true) })();
    expect(await count()).toBe(0);
    expect(asked).toEqual([SWEEP_JOB, SWEEP_JOB]);
  });
});
