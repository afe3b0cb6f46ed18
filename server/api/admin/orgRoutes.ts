/** `/auth/api/admin/orgs`: organisations, what each may grant, and their roles. */
import { Hono } from 'hono';
import type { Services } from '../../services.js';
import type { OrgDetail, OrgSummary, Page } from '../../../shared/admin.js';
import { ApiError } from '../../http/apiError.js';
import { validate } from '../../http/validate.js';
import { PAGE_QUERY } from '../../db/pagination.js';
import type { Org, Role } from '../../db/schema.js';
import { DEFAULT_ROLE_NAME, deleteOrg, findOrg, findRole, insertOrg, insertRole, listOrgs, listRolesOfOrg, renameOrg, setDefaultRole } from '../../db/orgs.js';
import { findPermission, grantPermissionToOrg, listGrantable, revokeFromOrg } from '../../db/permissions.js';
import { applyAdminChange, requireMaster, requireOrgAccess, type AdminEnv } from './adminAccess.js';
import { DUPLICATE_ROLE, ID, NAMED, conflictOnDuplicate, uuidParams } from './adminInput.js';
import { z } from 'zod';
import { orgSummary, permissionInfo, roleInfo } from './adminResponses.js';

const ID_PARAM = uuidParams('id');
const PERMISSION_PARAMS = uuidParams('id', 'permissionId');
const DEFAULT_ROLE = z.object({ roleId: ID }).strict();

export function orgRoutes(services: Services): Hono<AdminEnv> {
  const { db } = services.database;
  const app = new Hono<AdminEnv>();

  app.get('/', validate('query', PAGE_QUERY), async (c) => {
    const { actor } = c.var;
    const page = c.req.valid('query');
    const { items, total } = await listOrgs(db, { page: page.page, perPage: page.per_page }, actor.level === 'master' ? null : actor.org.id);
    const body: Page<OrgSummary> = { items: items.map(orgSummary), page: page.page, perPage: page.per_page, total };
    return c.json(body);
  });

  app.post('/', requireMaster(), validate('json', NAMED), async (c) => {
    const { displayName } = c.req.valid('json');
    const { org } = await applyAdminChange<{ org: Org; defaultRole: Role }>(
      c,
      services,
      ({ org: created }) => ({ op: 'create_org', orgId: created.id, target: created.id, detail: { displayName, defaultRole: DEFAULT_ROLE_NAME } }),
      (trx) => insertOrg(trx, displayName, services.now()),
    );
    return c.json(orgSummary({ ...org, user_count: 0 }), 201);
  });

  app.get('/:id', validate('param', ID_PARAM), async (c) => {
    const { actor } = c.var;
    const { id } = c.req.valid('param');
    requireOrgAccess(actor, id);
    const org = await findOrg(db, id);
    if (!org) throw new ApiError(404, 'No such organisation');
    const [grantable, roles] = await Promise.all([listGrantable(db, id), listRolesOfOrg(db, id)]);
    const body: OrgDetail = { ...orgSummary(org), defaultRoleId: org.default_role_id, grantable: grantable.map(permissionInfo), roles: roles.map(roleInfo) };
    return c.json(body);
  });

  app.patch('/:id', validate('param', ID_PARAM), validate('json', NAMED), async (c) => {
    const { actor } = c.var;
    const { id } = c.req.valid('param');
    requireOrgAccess(actor, id);
    const { displayName } = c.req.valid('json');
    const org = await findOrg(db, id);
    if (!org) throw new ApiError(404, 'No such organisation');
    await applyAdminChange(c, services, { op: 'rename_org', orgId: id, target: id, detail: { displayName, previousName: org.display_name } }, (trx) => renameOrg(trx, id, displayName));
    return c.json(orgSummary({ ...org, display_name: displayName }));
  });

  app.put('/:id/default-role', validate('param', ID_PARAM), validate('json', DEFAULT_ROLE), async (c) => {
    const { actor } = c.var;
    const { id } = c.req.valid('param');
    requireOrgAccess(actor, id);
    const { roleId } = c.req.valid('json');
    const role = await findRole(db, roleId);
    if (!role || role.org_id !== id) throw new ApiError(400, 'The role does not belong to this organisation');
    await applyAdminChange(c, services, { op: 'set_default_role', orgId: id, target: roleId, detail: { roleName: role.display_name } }, (trx) =>
      setDefaultRole(trx, id, roleId),
    );
    return c.body(null, 204);
  });

  app.delete('/:id', requireMaster(), validate('param', ID_PARAM), async (c) => {
    const { id } = c.req.valid('param');
    const org = await findOrg(db, id);
    if (!org) throw new ApiError(404, 'No such organisation');
    if (org.user_count > 0) throw new ApiError(409, `The organisation still has ${org.user_count} user(s): move or delete them first`);
    await applyAdminChange(c, services, { op: 'delete_org', orgId: id, target: id, detail: { displayName: org.display_name } }, (trx) => deleteOrg(trx, id));
    return c.body(null, 204);
  });

  // What the organisation may grant: master admins only.
  app.put('/:id/permissions/:permissionId', requireMaster(), validate('param', PERMISSION_PARAMS), async (c) => {
    const { id, permissionId } = c.req.valid('param');
    const [org, permission] = await Promise.all([findOrg(db, id), findPermission(db, permissionId)]);
    if (!org || !permission) throw new ApiError(404, org ? 'No such permission' : 'No such organisation');
    await applyAdminChange(c, services, { op: 'grant_to_org', orgId: id, target: permissionId, detail: { scope: permission.scope } }, (trx) =>
      grantPermissionToOrg(trx, id, permissionId),
    );
    return c.body(null, 204);
  });

  app.delete('/:id/permissions/:permissionId', requireMaster(), validate('param', PERMISSION_PARAMS), async (c) => {
    const { id, permissionId } = c.req.valid('param');
    const permission = await findPermission(db, permissionId);
    if (!(await findOrg(db, id)) || !permission) throw new ApiError(404, 'No such organisation or permission');
    await applyAdminChange(c, services, { op: 'revoke_from_org', orgId: id, target: permissionId, detail: { scope: permission.scope } }, (trx) =>
      revokeFromOrg(trx, id, permissionId),
    );
    return c.body(null, 204);
  });

  app.post('/:id/roles', validate('param', ID_PARAM), validate('json', NAMED), async (c) => {
    const { actor } = c.var;
    const { id } = c.req.valid('param');
    requireOrgAccess(actor, id);
    const { displayName } = c.req.valid('json');
    if (!(await findOrg(db, id))) throw new ApiError(404, 'No such organisation');
    const role = await applyAdminChange<Role>(c, services, (created) => ({ op: 'create_role', orgId: id, target: created.id, detail: { displayName } }), (trx) => insertRole(trx, id, displayName, services.now())).catch(conflictOnDuplicate(DUPLICATE_ROLE));
    return c.json(roleInfo({ ...role, permission_ids: [], user_count: 0 }), 201);
  });

  return app;
}
