/**
 * The admin API (`/auth/api/admin/*`, see shared/admin.ts), on the same request helper as
 * every other call: failures arrive as an {@link ApiError} (401 signed out, 403 not an admin,
 * 409 refused, for instance for the last master administrator).
 */
import type {
  AdminMe,
  AuditEntryInfo,
  OrgDetail,
  OrgSummary,
  Page,
  PermissionInput,
  PermissionInfo,
  RoleInfo,
  UserDetail,
  UserInput,
  UserLink,
  UserPatch,
  UserSummary,
} from '../../shared/admin';
import type { LinkInfo } from '../../shared/api';
import type { CreatedOidcClient, IssuedClientSecret, NewClientSecret, OidcClientCreate, OidcClientInfo, OidcClientUpdate } from '../../shared/oidcClients';
import type { RotateKeyRequest, SigningAlg, SigningKeyInfo, SigningKeyList } from '../../shared/oidc';
import type { ApiKeyInfo, CreatedApiKey, NewApiKey } from '../../shared/apiKeys';
import { ApiError, request } from './api';

const ADMIN = '/admin';
/** The server's largest page. */
const MAX_PER_PAGE = 100;

export interface PageQuery {
  page?: number;
  perPage?: number;
}

export interface UserQuery extends PageQuery {
  org?: string;
  q?: string;
}

export interface ClientQuery extends PageQuery {
  org?: string;
}

export interface AuditQuery extends PageQuery {
  user?: string;
  org?: string;
}

const id = encodeURIComponent;

/** `?page=…&per_page=…&<filters>`, leaving out empty values. */
function query({ page, perPage, ...filters }: PageQuery & { org?: string; q?: string; user?: string }): string {
  const params = new URLSearchParams();
  if (page) params.set('page', String(page));
  if (perPage) params.set('per_page', String(perPage));
  for (const [name, value] of Object.entries(filters)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const get = <T>(path: string) => request<T>(`${ADMIN}${path}`, { method: 'GET' });
const post = <T>(path: string, body: unknown = {}) => request<T>(`${ADMIN}${path}`, { body });
const patch = <T>(path: string, body: unknown) => request<T>(`${ADMIN}${path}`, { method: 'PATCH', body });
const put = (path: string) => request<void>(`${ADMIN}${path}`, { method: 'PUT' });
const remove = (path: string) => request<void>(`${ADMIN}${path}`, { method: 'DELETE' });

/** Every item of a paginated list, page after page (for selects and grids, not for big tables). */
export async function allPages<T>(load: (query: PageQuery) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const answer = await load({ page, perPage: MAX_PER_PAGE });
    items.push(...answer.items);
    if (answer.items.length === 0 || items.length >= answer.total) return items;
  }
}

/** Who is signed in, and whether they administer everything or one organisation. */
export const adminMe = () => get<AdminMe>('/me');

export const listPermissions = (page: PageQuery = {}) => get<Page<PermissionInfo>>(`/permissions${query(page)}`);
export const createPermission = (input: PermissionInput) => post<PermissionInfo>('/permissions', input);
export const updatePermission = (permissionId: string, input: Partial<PermissionInput>) =>
  patch<PermissionInfo>(`/permissions/${id(permissionId)}`, input);
export const deletePermission = (permissionId: string) => remove(`/permissions/${id(permissionId)}`);

export const listOrgs = (page: PageQuery = {}) => get<Page<OrgSummary>>(`/orgs${query(page)}`);
export const createOrg = (displayName: string) => post<OrgSummary>('/orgs', { displayName });
export const getOrg = (orgId: string) => get<OrgDetail>(`/orgs/${id(orgId)}`);
export const renameOrg = (orgId: string, displayName: string) => patch<OrgSummary>(`/orgs/${id(orgId)}`, { displayName });
/** 409 while the organisation has users. */
export const deleteOrg = (orgId: string) => remove(`/orgs/${id(orgId)}`);

/** Lets the organisation grant the permission to its roles (or, with `granted` false, no longer). */
export const setOrgGrant = (orgId: string, permissionId: string, granted: boolean) =>
  (granted ? put : remove)(`/orgs/${id(orgId)}/permissions/${id(permissionId)}`);

/** The role new users of the organisation get when none is chosen. */
export const setDefaultRole = (orgId: string, roleId: string) => request<void>(`${ADMIN}/orgs/${id(orgId)}/default-role`, { method: 'PUT', body: { roleId } });
export const createRole = (orgId: string, displayName: string) => post<RoleInfo>(`/orgs/${id(orgId)}/roles`, { displayName });
export const renameRole = (roleId: string, displayName: string) => patch<RoleInfo>(`/roles/${id(roleId)}`, { displayName });
/** 409 while users hold the role. */
export const deleteRole = (roleId: string) => remove(`/roles/${id(roleId)}`);
/** Gives the role the permission (or takes it away); 403 when the organisation may not grant it. */
export const setRolePermission = (roleId: string, permissionId: string, held: boolean) =>
  (held ? put : remove)(`/roles/${id(roleId)}/permissions/${id(permissionId)}`);

export const listUsers = (filter: UserQuery = {}) => get<Page<UserSummary>>(`/users${query(filter)}`);
export const createUser = (input: UserInput) => post<UserSummary>('/users', input);
export const getUser = (userId: string) => get<UserDetail>(`/users/${id(userId)}`);
/** 409 when it would demote the last master administrator. */
export const updateUser = (userId: string, changes: UserPatch) => patch<UserSummary>(`/users/${id(userId)}`, changes);
/** 409 for the last master administrator. */
export const deleteUser = (userId: string) => remove(`/users/${id(userId)}`);
export const deleteUserCredential = (userId: string, credentialId: string) =>
  remove(`/users/${id(userId)}/credentials/${id(credentialId)}`);
export const endUserSession = (userId: string, sessionId: string) => remove(`/users/${id(userId)}/sessions/${id(sessionId)}`);
export const endAllUserSessions = (userId: string) => remove(`/users/${id(userId)}/sessions`);
/** A registration link for the user, valid for 7 days; it replaces their open one. */
export const createUserLink = (userId: string) => post<UserLink>(`/users/${id(userId)}/link`);
/** The user's open links of every kind, never their tokens. */
export const listUserLinks = (userId: string) => get<LinkInfo[]>(`/users/${id(userId)}/links`);
export const revokeUserLink = (userId: string, linkId: string) => remove(`/users/${id(userId)}/links/${id(linkId)}`);
export const disconnectUserApp = (userId: string, clientId: string) => remove(`/users/${id(userId)}/apps/${id(clientId)}`);

export const listAudit = (filter: AuditQuery = {}) => get<Page<AuditEntryInfo>>(`/audit${query(filter)}`);

export const listOidcClients = (filter: ClientQuery = {}) => get<Page<OidcClientInfo>>(`/oidc/clients${query(filter)}`);
/** A confidential client comes back with its first secret, shown this once. */
export const createOidcClient = (input: OidcClientCreate) => post<CreatedOidcClient>('/oidc/clients', input);
export const getOidcClient = (clientId: string) => get<OidcClientInfo>(`/oidc/clients/${id(clientId)}`);
export const updateOidcClient = (clientId: string, changes: OidcClientUpdate) => patch<OidcClientInfo>(`/oidc/clients/${id(clientId)}`, changes);
export const deleteOidcClient = (clientId: string) => remove(`/oidc/clients/${id(clientId)}`);
/** Another secret for the client (the others keep working), shown this once. */
export const addOidcClientSecret = (clientId: string, input: NewClientSecret) => post<IssuedClientSecret>(`/oidc/clients/${id(clientId)}/secrets`, input);
export const deleteOidcClientSecret = (clientId: string, secretId: string) => remove(`/oidc/clients/${id(clientId)}/secrets/${id(secretId)}`);

/** What the Apps page shows of the provider's discovery document: the addresses an app needs. */
export interface ProviderAddresses {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  end_session_endpoint: string;
}

/** The discovery document's fixed path on every host (OpenID Connect Discovery, below the issuer's `/auth`). */
export const DISCOVERY_PATH = '/auth/.well-known/openid-configuration';

/**
 * The provider's addresses, read from its discovery document the way apps read them (outside
 * `/auth/api`, so not through {@link request}).
 * @throws {ApiError} when the document cannot be loaded.
 */
export async function providerAddresses(): Promise<ProviderAddresses> {
  const response = await fetch(DISCOVERY_PATH, { credentials: 'omit' }).catch(() => null);
  if (!response?.ok) throw new ApiError(response?.status ?? 0, 'The OpenID Connect discovery document could not be loaded.');
  return (await response.json()) as ProviderAddresses;
}

export const listApiKeys = (orgId: string) => get<ApiKeyInfo[]>(`/orgs/${id(orgId)}/api-keys`);
export const createApiKey = (orgId: string, input: NewApiKey) => post<CreatedApiKey>(`/orgs/${id(orgId)}/api-keys`, input);
export const revokeApiKey = (orgId: string, keyId: string) => remove(`/orgs/${id(orgId)}/api-keys/${id(keyId)}`);

export const listSigningKeys = () => get<SigningKeyList>('/oidc/keys');
export const rotateSigningKey = (alg: SigningAlg) => post<SigningKeyInfo>('/oidc/keys/rotate', { alg } satisfies RotateKeyRequest);
