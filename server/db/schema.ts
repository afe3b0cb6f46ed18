/**
 * Kysely table types. Times are Unix milliseconds (INTEGER); booleans are 0/1;
 * ids are UUIDv7 text; secrets are stored only as SHA-256 hashes (BLOB).
 */
import type { Generated, Insertable, Selectable } from 'kysely';
import type { ResetTokenKind } from '../../shared/resetToken.js';

/** Binary columns (better-sqlite3 reads BLOBs as Buffers, which are Uint8Arrays). */
export type Bytes = Uint8Array<ArrayBuffer>;

export interface OrgTable {
  id: string;
  display_name: string;
  created_at: number;
  /** The role a new user gets when none is chosen; `null` = none (the admin must choose). */
  default_role_id: string | null;
}

export interface PermissionTable {
  id: string;
  /** e.g. `myapp:read`; unique. */
  scope: string;
  display_name: string;
  /** Host the permission counts on; `null` = every host. */
  domain: string | null;
  created_at: number;
}

export interface OrgPermissionTable {
  org_id: string;
  permission_id: string;
}

export interface RoleTable {
  id: string;
  org_id: string;
  display_name: string;
  created_at: number;
}

export interface RolePermissionTable {
  role_id: string;
  permission_id: string;
}

export interface UserTable {
  id: string;
  display_name: string;
  org_id: string;
  role_id: string;
  created_at: number;
  last_seen_at: number | null;
  /** As given; unique on `lower(email)` (ASCII letters fold, as SQLite's `lower` does). */
  email: string | null;
  /** 1 only when an admin vouched for the address; any change by the person themselves resets it. */
  email_verified: Generated<number>;
  /** Lower case, unique; syntax in shared/personFields.ts. */
  username: string | null;
}

export interface CredentialTable {
  id: string;
  user_id: string;
  /** The authenticator's credential ID, raw bytes. */
  credential_id: Bytes;
  public_key: Bytes;
  sign_count: number;
  /** JSON array of AuthenticatorTransport. */
  transports: string;
  aaguid: string;
  /** What the person calls it; distinct among their passkeys (ignoring case). */
  name: string;
  backup_eligible: number;
  backup_state: number;
  created_at: number;
  last_used_at: number | null;
}

export interface SessionTable {
  id: string;
  token_hash: Bytes;
  user_id: string;
  credential_id: string;
  /** Host the cookie belongs to, lower case without port. */
  host: string;
  ip: string;
  user_agent: string;
  created_at: number;
  /** Last time the session was renewed (validate) or used. */
  last_seen_at: number;
  /** Last passkey use that created or refreshed this session (for `max_age`). */
  authenticated_at: number;
  expires_at: number;
}

export interface ResetTokenTable {
  /** UUIDv7, for listing and revoking; never derived from the token. */
  id: string;
  token_hash: Bytes;
  user_id: string;
  kind: ResetTokenKind;
  created_at: number;
  expires_at: number;
}

export interface ExchangeCodeTable {
  code_hash: Bytes;
  user_id: string;
  credential_id: string;
  host: string;
  ip: string;
  user_agent: string;
  authenticated_at: number;
  expires_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  action: string;
  actor_user_id: string | null;
  org_id: string | null;
  target: string | null;
  ip: string | null;
  /** JSON object with action-specific details. */
  detail: string;
}

export interface Database {
  orgs: OrgTable;
  permissions: PermissionTable;
  org_permissions: OrgPermissionTable;
  roles: RoleTable;
  role_permissions: RolePermissionTable;
  users: UserTable;
  credentials: CredentialTable;
  sessions: SessionTable;
  reset_tokens: ResetTokenTable;
  exchange_codes: ExchangeCodeTable;
  audit_log: AuditLogTable;
}

export type Org = Selectable<OrgTable>;
export type Permission = Selectable<PermissionTable>;
export type Role = Selectable<RoleTable>;
export type User = Selectable<UserTable>;
export type Credential = Selectable<CredentialTable>;
export type NewCredential = Insertable<CredentialTable>;
export type Session = Selectable<SessionTable>;
export type NewSession = Insertable<SessionTable>;
export type ResetToken = Selectable<ResetTokenTable>;
export type ExchangeCode = Selectable<ExchangeCodeTable>;
export type AuditEntry = Selectable<AuditLogTable>;
