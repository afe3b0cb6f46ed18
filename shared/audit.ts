/**
 * What the audit log records, shared by the server (which writes it) and the admin SPA (which
 * labels it): a new action or admin operation added here does not compile until the SPA says
 * how to show it.
 */

/** An audit entry's `action`. */
export type AuditAction =
  | 'sign_in'
  | 'sign_in_failed'
  | 'signed_out'
  | 'passkey_added'
  | 'passkey_removed'
  | 'passkey_renamed'
  | 'session_ended'
  | 'sessions_ended_all'
  | 'display_name_changed'
  | 'email_changed'
  | 'username_changed'
  | 'link_created'
  | 'link_revoked'
  | 'oidc_key_rotated'
  /** An app (OIDC client) received an authorization code for the person. */
  | 'oidc_signed_in'
  /** A used refresh token came back: its grant was revoked. */
  | 'oidc_refresh_reused'
  /** A person (or an admin, for them) disconnected an app: its grants were revoked and the consent forgotten. */
  | 'oidc_app_disconnected'
  /** A back-channel logout notice to an app failed; it is retried later (target: the client id). */
  | 'oidc_backchannel_logout_failed'
  /** The last attempt at a back-channel logout notice failed; it was dropped. */
  | 'oidc_backchannel_logout_gave_up'
  /** A backend called the backend API (or introspection) with an organisation API key; `detail.keyName` names it. */
  | 'api_key_used'
  | 'admin_change';

/** `detail.op` of an `admin_change` entry: which change through the admin API it records. */
export type AdminOp =
  | 'create_org'
  | 'rename_org'
  | 'set_default_role'
  | 'delete_org'
  | 'grant_to_org'
  | 'revoke_from_org'
  | 'create_role'
  | 'rename_role'
  | 'delete_role'
  | 'add_role_permission'
  | 'remove_role_permission'
  | 'create_permission'
  | 'update_permission'
  | 'delete_permission'
  | 'create_user'
  | 'update_user'
  | 'delete_user'
  | 'delete_passkey'
  | 'end_session'
  | 'end_all_sessions'
  | 'create_link'
  | 'revoke_link'
  | 'create_oidc_client'
  | 'update_oidc_client'
  | 'delete_oidc_client'
  | 'create_oidc_client_secret'
  | 'delete_oidc_client_secret'
  | 'create_api_key'
  | 'revoke_api_key';
