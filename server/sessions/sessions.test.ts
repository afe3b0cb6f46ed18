/** The session service against a real database: one rule for lookups, every end announced once it holds. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../db/database.js';
import { openTestDatabase } from '../testing/testDatabase.js';
import { bootstrap } from '../bootstrap/bootstrap.js';
import { insertCredential } from '../db/credentials.js';
import { deleteUser } from '../db/people.js';
import type { Bytes } from '../db/schema.js';
import { RENEW_INTERVAL_MS, SESSION_IDLE_MS, SessionService } from './sessions.js';

const NOW = Date.UTC(2026, 0, 1);
const HOST = 'app.example.com';

let database: OpenDatabase;
let service: SessionService;
let announced: Bytes[][];
let userId: string;

/** A session of the bootstrap admin on `host`, signed in with passkey `credentialId`. */
async function signIn(credentialId: string, host = HOST, now = NOW) {
  return service.create({ user_id: userId, credential_id: credentialId, host, ip: '192.0.2.1', user_agent: 'test', authenticated_at: now }, now);
}

async function addCredential(id: string): Promise<void> {
  await insertCredential(database.db, {
    id, user_id: userId, credential_id: Buffer.from(id), public_key: new Uint8Array(1), sign_count: 0, transports: '[]',
    aaguid: '00000000-0000-0000-0000-000000000000', name: id, backup_eligible: 0, backup_state: 0, created_at: NOW, last_used_at: null,
  });
}

beforeEach(async () => {
  database = await openTestDatabase();
  await bootstrap(database.db, NOW);
  userId = (await database.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
  await addCredential('c1');
  await addCredential('c2');
  service = new SessionService(database.db, () => NOW);
  announced = [];
  service.onChanged((hashes) => announced.push([...hashes]));
});
afterEach(async () => {
  await database.close();
});

describe('SessionService lookups', () => {
  it('finds a session by token only on its host and only until it lapses', async () => {
    const { token, session } = await signIn('c1');
    expect((await service.fromToken(token, HOST, NOW))?.id).toBe(session.id);
    expect(await service.fromToken(token, 'other.example.com', NOW)).toBeNull();
    expect(await service.fromToken(token, HOST, NOW + SESSION_IDLE_MS)).toBeNull();
    expect(await service.listOfUser(userId, NOW + SESSION_IDLE_MS)).toEqual([]);
    expect(await service.findOfUser(userId, session.id, NOW + SESSION_IDLE_MS)).toBeNull();
    expect((await service.findOfUser(userId, session.id, NOW))?.id).toBe(session.id);
    expect(await service.findOfUser('someone-else', session.id, NOW)).toBeNull();
  });
});

describe('SessionService renewal', () => {
  it('renews only when due, and announces the renewal', async () => {
    const { session } = await signIn('c1');
    const renewable = { sessionId: session.id, userId, lastSeenAt: session.last_seen_at };
    expect(await service.renewIfDue(renewable, NOW + RENEW_INTERVAL_MS - 1)).toBeNull();
    expect(announced).toEqual([]);
    expect(await service.renewIfDue(renewable, NOW + RENEW_INTERVAL_MS)).toEqual({ expiresAt: NOW + RENEW_INTERVAL_MS + SESSION_IDLE_MS });
    expect(announced).toEqual([[session.token_hash]]);
  });
});

describe('SessionService ends', () => {
  it('ends the sessions of a passkey together with the passkey, announcing them once committed', async () => {
    const first = await signIn('c1');
    const second = await signIn('c2');
    await service.transaction(async (trx, end) => {
      await end.ofCredential('c1');
      expect(announced).toEqual([]);
      await trx.deleteFrom('credentials').where('id', '=', 'c1').execute();
    });
    expect(announced).toEqual([[first.session.token_hash]]);
    expect(await service.fromToken(first.token, HOST, NOW)).toBeNull();
    expect(await service.fromToken(second.token, HOST, NOW)).not.toBeNull();
  });

  it('announces nothing and ends nothing when the change rolls back', async () => {
    const { token } = await signIn('c1');
    await expect(
      service.transaction(async (_trx, end) => {
        await end.ofUser(userId);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(announced).toEqual([]);
    expect(await service.fromToken(token, HOST, NOW)).not.toBeNull();
  });

  it('announces the sessions of a deleted person (the cascade alone would end them silently)', async () => {
    const a = await signIn('c1');
    const b = await signIn('c2', 'other.example.com');
    await service.transaction(async (trx, end) => {
      await end.ofUser(userId);
      await deleteUser(trx, userId);
    });
    expect(announced.flat().map((hash) => Buffer.from(hash).toString('hex')).sort()).toEqual(
      [a.session.token_hash, b.session.token_hash].map((hash) => Buffer.from(hash).toString('hex')).sort(),
    );
  });

  it('ends lapsed sessions and announces them', async () => {
    const old = await signIn('c1', HOST, NOW - SESSION_IDLE_MS);
    const fresh = await signIn('c2');
    await service.endLapsed(NOW);
    expect(announced).toEqual([[old.session.token_hash]]);
    expect(await service.fromToken(fresh.token, HOST, NOW)).not.toBeNull();
  });
});
