/**
 * The permission scopes the service itself checks, shared by the server and the admin SPA.
 * Both exist from the first start; they cannot be deleted, and only their display name can change.
 */

/** Master administrator: everything, in every organisation. */
export const MASTER_ADMIN_SCOPE = 'auth:admin';
/** Organisation administrator: everything within the holder's own organisation. */
export const ORG_ADMIN_SCOPE = 'auth:org:admin';

export const BUILT_IN_SCOPES: ReadonlySet<string> = new Set([MASTER_ADMIN_SCOPE, ORG_ADMIN_SCOPE]);

/** The characters a scope may hold: no spaces, no commas (`Remote-Groups` joins scopes with commas), no wildcards. */
export const SCOPE_PATTERN = /^[A-Za-z0-9:._~/-]+$/;
export const SCOPE_MAX_LENGTH = 100;
