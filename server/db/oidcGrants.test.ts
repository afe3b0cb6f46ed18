/** OIDC grants against a real database: single use under the same statement, revocation, consent, housekeeping. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from './database.js';
import { openTestDatabase } from '../testing/testDatabase.js';
import { bootstrap } from '../bootstrap/bootstrap.js';
import { insertOidcClient } from './oidcClients.js';
import {
  deleteExpiredOidcGrants, findOidcConsent, findOidcGrant, insertOidcCode, insertOidcGrant, insertOidcRefreshToken, isGrantLive, endOidcGrants,
  saveOidcConsent, useOidcCode, useOidcRefreshToken,
} from './oidcGrants.js';
import { hashSecret } from '../crypto/tokens.js';

const NOW = Date.UTC(2026, 10, 30);
let database: OpenDatabase;
let userId: string;
let clientId: string;

beforeEach(async () => {
  database = await openTestDatabase();
  await bootstrap(database.db, NOW);
  const user = await database.db.selectFrom('users').select(['id', 'org_id']).executeTakeFirstOrThrow();
  userId = user.id;
  clientId = (await insertOidcClient(database.db, { orgId: user.org_id, name: 'App', redirectUris: ['https://app.example.com/cb'], tokenEndpointAuthMethod: 'none' }, NOW)).id;
});
afterEach(async () => {
  await database.close();
});

const newGrant = (expiresAt = NOW + 1000) =>
  insertOidcGrant(database.db, { client_id: clientId, user_id: userId, session_id: 's', scope: 'openid', nonce: null, auth_time: NOW, amr: '[]', acr: 'x', expires_at: expiresAt }, NOW);

describe('OIDC grants', () => {
  it('uses a code once; a second use is told apart from an unknown code', async () => {
    const grant = await newGrant();
    await insertOidcCode(database.db, { code_hash: hashSecret('c'), grant_id: grant.id, redirect_uri: 'https://app.example.com/cb', code_challenge: null, expires_at: NOW + 60_000 });
    expect(await useOidcCode(database.db, hashSecret('c'), NOW)).toMatchObject({ kind: 'used', row: { grant_id: grant.id, used_at: NOW } });
    expect(await useOidcCode(database.db, hashSecret('c'), NOW + 1)).toMatchObject({ kind: 'reused', row: { grant_id: grant.id } });
    expect(await useOidcCode(database.db, hashSecret('other'), NOW)).toEqual({ kind: 'unknown' });
  });

  it('revoking a grant ends it and its unused refresh tokens, keeping used ones to recognise a replay', async () => {
    const grant = await newGrant();
    await insertOidcRefreshToken(database.db, { token_hash: hashSecret('old'), grant_id: grant.id, created_at: NOW, expires_at: NOW + 1000 });
    await insertOidcRefreshToken(database.db, { token_hash: hashSecret('new'), grant_id: grant.id, created_at: NOW, expires_at: NOW + 1000 });
    expect((await useOidcRefreshToken(database.db, hashSecret('old'), NOW)).kind).toBe('used');
    expect(await endOidcGrants(database.db, { grantIds: [grant.id] }, NOW + 5)).toEqual([{ id: grant.id, client_id: clientId, user_id: userId, session_id: grant.session_id }]);
    expect(await endOidcGrants(database.db, { grantIds: [grant.id] }, NOW + 6)).toEqual([]);
    expect(isGrantLive((await findOidcGrant(database.db, grant.id))!, NOW + 6)).toBe(false);
    expect((await useOidcRefreshToken(database.db, hashSecret('old'), NOW + 7)).kind).toBe('reused');
    expect(await useOidcRefreshToken(database.db, hashSecret('new'), NOW + 7)).toEqual({ kind: 'unknown' });
  });

  it('adds newly consented scopes to those consented before', async () => {
    expect(await findOidcConsent(database.db, userId, clientId)).toBeNull();
    await saveOidcConsent(database.db, userId, clientId, ['openid', 'email'], NOW);
    await saveOidcConsent(database.db, userId, clientId, ['openid', 'profile'], NOW + 1);
    expect(await findOidcConsent(database.db, userId, clientId)).toEqual(['openid', 'email', 'profile']);
  });

  it('housekeeping drops what has lapsed and keeps what lives', async () => {
    const lapsed = await newGrant(NOW + 10);
    const live = await newGrant(NOW + 10_000);
    await insertOidcCode(database.db, { code_hash: hashSecret('c'), grant_id: live.id, redirect_uri: 'x', code_challenge: null, expires_at: NOW + 10 });
    await insertOidcRefreshToken(database.db, { token_hash: hashSecret('r'), grant_id: live.id, created_at: NOW, expires_at: NOW + 5_000 });
    await deleteExpiredOidcGrants(database.db, NOW + 100);
    expect(await findOidcGrant(database.db, lapsed.id)).toBeUndefined();
    expect(await findOidcGrant(database.db, live.id)).toBeDefined();
    expect(await useOidcCode(database.db, hashSecret('c'), NOW + 100)).toEqual({ kind: 'unknown' });
    expect((await useOidcRefreshToken(database.db, hashSecret('r'), NOW + 100)).kind).toBe('used');
  });
});
