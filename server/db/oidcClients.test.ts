/** OIDC client storage against a real database: defaults, org scoping, public clients and hashed secrets. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from './database.js';
import { openTestDatabase } from '../testing/testDatabase.js';
import { bootstrap } from '../bootstrap/bootstrap.js';
import { deleteOrg, insertOrg } from './orgs.js';
import {
  OIDC_CLIENT_DEFAULTS, addOidcClientSecret, deleteOidcClient, deleteOidcClientSecret, findOidcClient, insertOidcClient,
  listOidcClientSecrets, listOidcClients, updateOidcClient, verifyOidcClientSecret,
} from './oidcClients.js';
import { hashSecret } from '../crypto/tokens.js';
import { uniqueViolation } from './uniqueViolation.js';

const NOW = Date.UTC(2026, 10, 30);
const PAGE = { page: 1, perPage: 50 };

let database: OpenDatabase;
let orgId: string;

beforeEach(async () => {
  database = await openTestDatabase();
  await bootstrap(database.db, NOW);
  orgId = (await database.db.selectFrom('orgs').select('id').executeTakeFirstOrThrow()).id;
});
afterEach(async () => {
  await database.close();
});

function newClient(overrides: Partial<Parameters<typeof insertOidcClient>[1]> = {}) {
  return insertOidcClient(database.db, { orgId, name: 'Grafana', redirectUris: ['https://grafana.example.com/login/generic_oauth'], tokenEndpointAuthMethod: 'client_secret_basic', ...overrides }, NOW);
}

describe('OIDC clients', () => {
  it('fills in the defaults and reads back what it stored', async () => {
    const created = await newClient({ requirePkce: false });
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(created).toMatchObject({
      orgId, name: 'Grafana', isPublic: false, requirePkce: false, requireConsent: false, requiredPerm: null, idTokenAlg: 'RS256',
      grantTypes: OIDC_CLIENT_DEFAULTS.grantTypes, scopes: ['openid', 'profile', 'email', 'groups', 'offline_access'],
      accessTokenTtl: 1800, refreshIdleTtl: 30 * 86_400, refreshAbsoluteTtl: 365 * 86_400, postLogoutRedirectUris: [], createdAt: NOW,
    });
    expect(await findOidcClient(database.db, created.id)).toEqual(created);
    expect(await findOidcClient(database.db, 'nobody')).toBeUndefined();
  });

  it('keeps a custom client_id and refuses it twice', async () => {
    await newClient({ id: 'immich' });
    expect((await findOidcClient(database.db, 'immich'))?.name).toBe('Grafana');
    expect(await newClient({ id: 'immich' }).then(() => 'inserted', uniqueViolation)).toMatch(/oidc_clients/);
  });

  it('makes every public client require PKCE, on creation and on update', async () => {
    const created = await newClient({ tokenEndpointAuthMethod: 'none', requirePkce: false });
    expect(created).toMatchObject({ isPublic: true, requirePkce: true });
    const confidential = await newClient({ requirePkce: false });
    const changed = await updateOidcClient(database.db, confidential.id, { tokenEndpointAuthMethod: 'none' }, NOW + 1);
    expect(changed).toMatchObject({ isPublic: true, requirePkce: true, updatedAt: NOW + 1 });
    const row = await database.db.selectFrom('oidc_clients').select('require_pkce').where('id', '=', confidential.id).executeTakeFirstOrThrow();
    expect(row.require_pkce).toBe(1);
  });

  it('updates only the fields given', async () => {
    const created = await newClient();
    const changed = await updateOidcClient(database.db, created.id, { redirectUris: ['http://127.0.0.1/cb'], requiredPerm: 'grafana:use', requireConsent: true }, NOW + 5);
    expect(changed).toEqual({ ...created, redirectUris: ['http://127.0.0.1/cb'], requiredPerm: 'grafana:use', requireConsent: true, updatedAt: NOW + 5 });
    expect(await updateOidcClient(database.db, 'nobody', { name: 'x' }, NOW)).toBeUndefined();
  });

  it('lists by organisation or all, by name', async () => {
    const { org: other } = await insertOrg(database.db, 'Other', NOW);
    await newClient({ name: 'Zammad' });
    await newClient({ name: 'Forgejo' });
    await newClient({ name: 'Immich', orgId: other.id });
    const mine = await listOidcClients(database.db, PAGE, orgId);
    expect(mine.items.map((client) => client.name)).toEqual(['Forgejo', 'Zammad']);
    expect(mine.total).toBe(2);
    const all = await listOidcClients(database.db, { page: 2, perPage: 2 }, null);
    expect(all).toMatchObject({ total: 3, items: [{ name: 'Zammad' }] });
  });

  it('goes with its organisation, and deleting it takes its secrets', async () => {
    const { org: other } = await insertOrg(database.db, 'Other', NOW);
    const gone = await newClient({ orgId: other.id });
    const kept = await newClient();
    await addOidcClientSecret(database.db, kept.id, null, NOW);
    await deleteOrg(database.db, other.id);
    expect(await findOidcClient(database.db, gone.id)).toBeUndefined();
    expect(await deleteOidcClient(database.db, kept.id)).toBe(true);
    expect(await deleteOidcClient(database.db, kept.id)).toBe(false);
    expect(await database.db.selectFrom('oidc_client_secrets').selectAll().execute()).toEqual([]);
  });
});

describe('OIDC client secrets', () => {
  it('stores only the hash and verifies the secret until it expires', async () => {
    const client = await newClient();
    const { secret, listing } = await addOidcClientSecret(database.db, client.id, NOW + 1000, NOW);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await database.db.selectFrom('oidc_client_secrets').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]!.secret_hash)).toEqual(Buffer.from(hashSecret(secret)));
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(await verifyOidcClientSecret(database.db, client.id, secret, NOW + 999)).toBe(true);
    expect(await verifyOidcClientSecret(database.db, client.id, secret, NOW + 1000)).toBe(false);
    expect(await verifyOidcClientSecret(database.db, client.id, `${secret}x`, NOW)).toBe(false);
    expect(await listOidcClientSecrets(database.db, client.id)).toEqual([listing]);
  });

  it('accepts any of several secrets during a rotation, only for their own client', async () => {
    const client = await newClient();
    const other = await newClient();
    const old = await addOidcClientSecret(database.db, client.id, null, NOW);
    const fresh = await addOidcClientSecret(database.db, client.id, null, NOW + 1);
    expect(await verifyOidcClientSecret(database.db, client.id, old.secret, NOW)).toBe(true);
    expect(await verifyOidcClientSecret(database.db, client.id, fresh.secret, NOW)).toBe(true);
    expect(await verifyOidcClientSecret(database.db, other.id, old.secret, NOW)).toBe(false);
    expect((await listOidcClientSecrets(database.db, client.id)).map((s) => s.id)).toEqual([old.listing.id, fresh.listing.id]);

    expect(await deleteOidcClientSecret(database.db, other.id, old.listing.id)).toBe(false);
    expect(await deleteOidcClientSecret(database.db, client.id, old.listing.id)).toBe(true);
    expect(await verifyOidcClientSecret(database.db, client.id, old.secret, NOW)).toBe(false);
    expect(await verifyOidcClientSecret(database.db, client.id, fresh.secret, NOW)).toBe(true);
  });
});
