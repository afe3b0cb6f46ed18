/** Database rows → admin API shapes (shared/admin.ts). */
import type { OrgSummary, PermissionInfo, RoleInfo, UserSummary } from '../../../shared/admin.js';
import type { Permission } from '../../db/schema.js';
import type { OrgWithCount, RoleWithDetails } from '../../db/orgs.js';
import type { UserRow } from '../../db/people.js';
import { iso, personFields } from '../responses.js';

export const permissionInfo = (p: Permission): PermissionInfo => ({ id: p.id, scope: p.scope, displayName: p.display_name, domain: p.domain, createdAt: iso(p.created_at) });

export const orgSummary = (o: OrgWithCount): OrgSummary => ({ id: o.id, displayName: o.display_name, userCount: o.user_count, createdAt: iso(o.created_at) });

export const roleInfo = (r: RoleWithDetails): RoleInfo => ({ id: r.id, orgId: r.org_id, displayName: r.display_name, permissionIds: r.permission_ids, userCount: r.user_count });

export const userSummary = (u: UserRow): UserSummary => ({
  id: u.id,
  displayName: u.display_name,
  org: { id: u.org_id, displayName: u.org_name },
  role: { id: u.role_id, displayName: u.role_name },
  createdAt: iso(u.created_at),
  lastSeenAt: u.last_seen_at === null ? null : iso(u.last_seen_at),
  passkeyCount: u.passkey_count,
  ...personFields(u),
});
