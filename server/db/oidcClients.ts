/**
 * Queries on OpenID Connect clients and their secrets. Rows keep lists as JSON text and flags as
 * 0/1; this module hands out {@link OidcClient}, with arrays and booleans, so no caller parses.
 * Client secrets are random, returned once, and stored only as SHA-256 hashes.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Database, IdTokenAlg, OidcClientRow, OidcClientTable, TokenEndpointAuthMethod } from './schema.js';
import { pageOffset, type PageRequest } from './pagination.js';
import { hashSecret, randomSecret } from '../crypto/tokens.js';
import { toBase64Url } from '../crypto/base64url.js';

type Db = Kysely<Database>;

const DAY_S = 86_400;

/** What a client gets when its registration leaves a field out. */
export const OIDC_CLIENT_DEFAULTS = {
  grantTypes: ['authorization_code', 'refresh_token'],
  scope: 'openid profile email groups offline_access',
  idTokenAlg: 'RS256',
  /** 30 minutes. */
  accessTokenTtl: 1800,
  refreshIdleTtl: 30 * DAY_S,
  refreshAbsoluteTtl: 365 * DAY_S,
} as const satisfies Record<string, unknown>;

/** A client as the rest of the server sees it. */
export interface OidcClient {
  /** The `client_id`. */
  id: string;
  orgId: string;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** `none`: no secret, PKCE required. */
  isPublic: boolean;
  grantTypes: string[];
  /** Scopes the client may ask for. */
  scopes: string[];
  /** Always true for public clients. */
  requirePkce: boolean;
  requireConsent: boolean;
  /** Forward auth's `perm` syntax; `null` = no permission needed. */
  requiredPerm: string | null;
  idTokenAlg: IdTokenAlg;
  /** Seconds. */
  accessTokenTtl: number;
  refreshIdleTtl: number;
  refreshAbsoluteTtl: number;
  backchannelLogoutUri: string | null;
  /** Permission scopes it holds when it signs in as itself (`client_credentials`). */
  servicePermissions: string[];
  createdAt: number;
  updatedAt: number;
}

/** Fields of a new client; `id` only when the admin chose one (some apps hard-code theirs). */
export interface NewOidcClient {
  id?: string;
  orgId: string;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  grantTypes?: string[];
  scopes?: string[];
  requirePkce?: boolean;
  requireConsent?: boolean;
  requiredPerm?: string | null;
  idTokenAlg?: IdTokenAlg;
  accessTokenTtl?: number;
  refreshIdleTtl?: number;
  refreshAbsoluteTtl?: number;
  backchannelLogoutUri?: string | null;
  servicePermissions?: string[];
}

/** Fields an update may change (the id and organisation stay). */
export type OidcClientChanges = Partial<Omit<NewOidcClient, 'id' | 'orgId'>>;

/** A secret as it may be listed: never its hash. */
export interface OidcClientSecretListing {
  id: string;
  createdAt: number;
  expiresAt: number | null;
}

function clientFromRow(row: OidcClientRow): OidcClient {
  const isPublic = row.token_endpoint_auth_method === 'none';
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    postLogoutRedirectUris: JSON.parse(row.post_logout_redirect_uris) as string[],
    tokenEndpointAuthMethod: row.token_endpoint_auth_method,
    isPublic,
    grantTypes: JSON.parse(row.grant_types) as string[],
    scopes: row.scope.split(' ').filter(Boolean),
    requirePkce: isPublic || row.require_pkce === 1,
    requireConsent: row.require_consent === 1,
    requiredPerm: row.required_perm,
    idTokenAlg: row.id_token_signed_response_alg,
    accessTokenTtl: row.access_token_ttl,
    refreshIdleTtl: row.refresh_idle_ttl,
    refreshAbsoluteTtl: row.refresh_absolute_ttl,
    backchannelLogoutUri: row.backchannel_logout_uri,
    servicePermissions: JSON.parse(row.service_permissions) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The columns an update writes; a public client always requires PKCE, whatever was asked. */
function columnsOf(changes: OidcClientChanges, authMethod: TokenEndpointAuthMethod | undefined): Partial<OidcClientTable> {
  const columns: Partial<OidcClientTable> = {};
  if (changes.name !== undefined) columns.name = changes.name;
  if (changes.redirectUris !== undefined) columns.redirect_uris = JSON.stringify(changes.redirectUris);
  if (changes.postLogoutRedirectUris !== undefined) columns.post_logout_redirect_uris = JSON.stringify(changes.postLogoutRedirectUris);
  if (changes.tokenEndpointAuthMethod !== undefined) columns.token_endpoint_auth_method = changes.tokenEndpointAuthMethod;
  if (changes.grantTypes !== undefined) columns.grant_types = JSON.stringify(changes.grantTypes);
  if (changes.scopes !== undefined) columns.scope = changes.scopes.join(' ');
  if (changes.requirePkce !== undefined) columns.require_pkce = changes.requirePkce ? 1 : 0;
  if (authMethod === 'none') columns.require_pkce = 1;
  if (changes.requireConsent !== undefined) columns.require_consent = changes.requireConsent ? 1 : 0;
  if (changes.requiredPerm !== undefined) columns.required_perm = changes.requiredPerm;
  if (changes.idTokenAlg !== undefined) columns.id_token_signed_response_alg = changes.idTokenAlg;
  if (changes.accessTokenTtl !== undefined) columns.access_token_ttl = changes.accessTokenTtl;
  if (changes.refreshIdleTtl !== undefined) columns.refresh_idle_ttl = changes.refreshIdleTtl;
  if (changes.refreshAbsoluteTtl !== undefined) columns.refresh_absolute_ttl = changes.refreshAbsoluteTtl;
  if (changes.backchannelLogoutUri !== undefined) columns.backchannel_logout_uri = changes.backchannelLogoutUri;
  if (changes.servicePermissions !== undefined) columns.service_permissions = JSON.stringify(changes.servicePermissions);
  return columns;
}

/** A generated client_id: 128 random bits, base64url (22 characters). */
function randomClientId(): string {
  return toBase64Url(randomBytes(16));
}

/**
 * Stores a new client, filling in {@link OIDC_CLIENT_DEFAULTS}.
 * @throws when `id` is taken (a UNIQUE violation) or `orgId` does not exist
 */
export async function insertOidcClient(db: Db, values: NewOidcClient, now: number): Promise<OidcClient> {
  const row: OidcClientRow = {
    id: values.id ?? randomClientId(),
    org_id: values.orgId,
    name: values.name,
    redirect_uris: '[]',
    post_logout_redirect_uris: '[]',
    token_endpoint_auth_method: values.tokenEndpointAuthMethod,
    grant_types: JSON.stringify(OIDC_CLIENT_DEFAULTS.grantTypes),
    scope: OIDC_CLIENT_DEFAULTS.scope,
    require_pkce: 1,
    require_consent: 0,
    required_perm: null,
    id_token_signed_response_alg: OIDC_CLIENT_DEFAULTS.idTokenAlg,
    access_token_ttl: OIDC_CLIENT_DEFAULTS.accessTokenTtl,
    refresh_idle_ttl: OIDC_CLIENT_DEFAULTS.refreshIdleTtl,
    refresh_absolute_ttl: OIDC_CLIENT_DEFAULTS.refreshAbsoluteTtl,
    backchannel_logout_uri: null,
    service_permissions: '[]',
    created_at: now,
    updated_at: now,
    ...columnsOf(values, values.tokenEndpointAuthMethod),
  };
  await db.insertInto('oidc_clients').values(row).execute();
  return clientFromRow(row);
}

export async function findOidcClient(db: Db, id: string): Promise<OidcClient | undefined> {
  const row = await db.selectFrom('oidc_clients').selectAll().where('id', '=', id).executeTakeFirst();
  return row && clientFromRow(row);
}

/** Clients by name, of one organisation or (`onlyOrgId` null) all. */
export async function listOidcClients(db: Db, page: PageRequest, onlyOrgId: string | null): Promise<{ items: OidcClient[]; total: number }> {
  let query = db.selectFrom('oidc_clients');
  if (onlyOrgId !== null) query = query.where('org_id', '=', onlyOrgId);
  const { limit, offset } = pageOffset(page);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('name').orderBy('id').limit(limit).offset(offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(clientFromRow), total: Number(count.n) };
}

/** Applies `changes`; returns the client as it now is, or undefined when there is none with `id`. */
export async function updateOidcClient(db: Db, id: string, changes: OidcClientChanges, now: number): Promise<OidcClient | undefined> {
  const row = await db
    .updateTable('oidc_clients')
    .set({ ...columnsOf(changes, changes.tokenEndpointAuthMethod), updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && clientFromRow(row);
}

/** Deletes a client with its secrets, grants, codes, refresh tokens and consents; true when it existed. */
export async function deleteOidcClient(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('oidc_clients').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Gives the client a new secret (its others stay valid, so apps can switch without downtime).
 * @returns the secret, to be shown once, and its listing
 */
export async function addOidcClientSecret(db: Db, clientId: string, expiresAt: number | null, now: number): Promise<{ secret: string; listing: OidcClientSecretListing }> {
  const secret = randomSecret();
  const id = uuidv7();
  await db.insertInto('oidc_client_secrets').values({ id, client_id: clientId, secret_hash: hashSecret(secret), created_at: now, expires_at: expiresAt }).execute();
  return { secret, listing: { id, createdAt: now, expiresAt } };
}

/** The client's secrets, oldest first, expired ones included (so an admin sees what lapsed). */
export async function listOidcClientSecrets(db: Db, clientId: string): Promise<OidcClientSecretListing[]> {
  const rows = await db
    .selectFrom('oidc_client_secrets')
    .select(['id', 'created_at', 'expires_at'])
    .where('client_id', '=', clientId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, createdAt: row.created_at, expiresAt: row.expires_at }));
}

/** Deletes one secret of the client; true when it existed. */
export async function deleteOidcClientSecret(db: Db, clientId: string, secretId: string): Promise<boolean> {
  const result = await db.deleteFrom('oidc_client_secrets').where('id', '=', secretId).where('client_id', '=', clientId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Whether `secret` is one of the client's unexpired secrets. The hashes are loaded by client id
 * and compared here, so the comparison is constant-time and every secret is compared (no early
 * exit that would tell which one matched).
 */
export async function verifyOidcClientSecret(db: Db, clientId: string, secret: string, now: number): Promise<boolean> {
  const rows = await db
    .selectFrom('oidc_client_secrets')
    .select('secret_hash')
    .where('client_id', '=', clientId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .execute();
  const presented = hashSecret(secret);
  let matched = false;
  for (const row of rows) matched = timingSafeEqual(row.secret_hash, presented) || matched;
  return matched;
}

/** Every client's redirect URIs together (for CORS preflights, which do not say which client they are for). */
export async function listAllRedirectUris(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('oidc_clients').select('redirect_uris').execute();
  return rows.flatMap((row) => JSON.parse(row.redirect_uris) as string[]);
}

/**
 * The clients that registered exactly `uri` as a redirect URI (the hosted app pages know a client
 * only by its callback). Lists are JSON text, so they are compared here, not in SQL.
 */
export async function findOidcClientsByRedirectUri(db: Db, uri: string): Promise<OidcClient[]> {
  const rows = await db.selectFrom('oidc_clients').selectAll().execute();
  return rows.map(clientFromRow).filter((client) => client.redirectUris.includes(uri));
}

/** Which of these clients have a back-channel logout URI. */
export async function backchannelClientIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('oidc_clients').select('id').where('id', 'in', ids).where('backchannel_logout_uri', 'is not', null).execute();
  return new Set(rows.map((row) => row.id));
}
