/**
 * Admin API shapes (`/auth/api/admin/*`, auth host only), shared by the server and the admin SPA.
 * Times are ISO 8601 UTC strings. Lists are paginated: `?page=1&per_page=50` (per_page ≤ 100).
 */
import type { ConnectedAppInfo, CreateLinkResponse, CredentialInfo, PersonFields, SessionInfo } from './api.js';
import type { AuditAction } from './audit.js';

export interface Page<T> {
  items: T[];
  page: number;
  perPage: number;
  total: number;
}

/** `GET /auth/api/admin/me`: what the signed-in admin may do. */
export interface AdminMe {
  user: { id: string; displayName: string };
  /** `master`: holds `auth:admin` (everything); `org`: holds `auth:org:admin` (their own organisation). */
  level: 'master' | 'org';
  org: { id: string; displayName: string };
}

export interface PermissionInfo {
  id: string;
  scope: string;
  displayName: string;
  /** Host the permission is limited to; null = every host. */
  domain: string | null;
  createdAt: string;
}

/** `POST /permissions` body; `PATCH /permissions/{id}` takes any subset. */
export interface PermissionInput {
  scope: string;
  displayName: string;
  domain?: string | null;
}

export interface OrgSummary {
  id: string;
  displayName: string;
  userCount: number;
  createdAt: string;
}

export interface RoleInfo {
  id: string;
  orgId: string;
  displayName: string;
  /** Permission ids the role holds. */
  permissionIds: string[];
  userCount: number;
}

/** `GET /orgs/{id}` */
export interface OrgDetail extends OrgSummary {
  /** The role a new user gets when none is chosen (`PUT /orgs/{id}/default-role`); null = none. */
  defaultRoleId: string | null;
  /** Permissions this organisation may grant to its roles. */
  grantable: PermissionInfo[];
  roles: RoleInfo[];
}

/** The longest search `GET /users?q=` takes. */
export const USER_SEARCH_MAX = 64;

export interface UserSummary extends PersonFields {
  id: string;
  displayName: string;
  org: { id: string; displayName: string };
  role: { id: string; displayName: string };
  createdAt: string;
  lastSeenAt: string | null;
  passkeyCount: number;
}

/** `GET /users/{id}` */
export interface UserDetail extends UserSummary {
  credentials: CredentialInfo[];
  sessions: SessionInfo[];
  /** Effective permission scopes that hold on every host (domain-limited ones count only on their host). */
  permissions: string[];
  /** The apps they signed in to with Passkey Auth (OpenID Connect), as `GET /users/{id}/apps` lists them. */
  apps: ConnectedAppInfo[];
}

/**
 * Email and username as an admin sets them (`null` removes one). `emailVerified: true` vouches for
 * the address; a new address given without it is unverified, an unchanged one keeps its state.
 */
export interface PersonFieldsInput {
  email?: string | null;
  emailVerified?: boolean;
  username?: string | null;
}

/** `POST /users` body. */
export interface UserInput extends PersonFieldsInput {
  displayName: string;
  orgId: string;
  /** Left out: the organisation's default role (400 when it has none). */
  roleId?: string;
}

/** `PATCH /users/{id}` body. */
export interface UserPatch extends PersonFieldsInput {
  displayName?: string;
  roleId?: string;
}

/** `POST /users/{id}/link`: a registration link for the user (7 days), shaped like a device link. */
export type UserLink = CreateLinkResponse;

export interface AuditEntryInfo {
  id: number;
  at: string;
  /** One of {@link AuditAction}, as text: the log keeps the entries other versions wrote. */
  action: string;
  actor: { id: string; displayName: string } | null;
  orgId: string | null;
  target: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
}
