/** `/auth/api/admin/roles`: rename, delete, and which of its organisation's grantable permissions a role holds. */
import { Hono } from 'hono';
import type { Services } from '../../services.js';
import type { Permission, Role } from '../../db/schema.js';
import { ApiError } from '../../http/apiError.js';
import { validate } from '../../http/validate.js';
import { addPermissionToRole, countUsersWithRole, deleteRole, findOrg, findRole, listRolesOfOrg, removePermissionFromRole, renameRole } from '../../db/orgs.js';
import { findPermission, isGrantable } from '../../db/permissions.js';
import { applyAdminChange, requireMasterForScope, requireOrgAccess, type AdminActor, type AdminEnv } from './adminAccess.js';
import { DUPLICATE_ROLE, NAMED, conflictOnDuplicate, uuidParams } from './adminInput.js';
import { roleInfo } from './adminResponses.js';

const ID_PARAM = uuidParams('id');
const PERMISSION_PARAMS = uuidParams('id', 'permissionId');

export function roleRoutes(services: Services): Hono<AdminEnv> {
  const { db } = services.database;
  const app = new Hono<AdminEnv>();

  /** The role named in the path, if the actor may see it. */
  async function roleFor(actor: AdminActor, id: string): Promise<Role> {
    const role = await findRole(db, id);
    if (!role) throw new ApiError(404, 'No such role');
    requireOrgAccess(actor, role.org_id, 'role');
    return role;
  }

  /** The role and permission named in the path, if the actor may see the role and hand out or take away the permission. */
  async function rolePermissionFor(actor: AdminActor, params: { id: string; permissionId: string }): Promise<{ role: Role; permission: Permission }> {
    const role = await roleFor(actor, params.id);
    const permission = await findPermission(db, params.permissionId);
    if (!permission) throw new ApiError(404, 'No such permission');
    requireMasterForScope(actor, permission.scope);
    return { role, permission };
  }

  app.patch('/:id', validate('param', ID_PARAM), validate('json', NAMED), async (c) => {
    const { actor } = c.var;
    const role = await roleFor(actor, c.req.valid('param').id);
    const { displayName } = c.req.valid('json');
    await applyAdminChange(c, services, { op: 'rename_role', orgId: role.org_id, target: role.id, detail: { displayName, previousName: role.display_name } }, (trx) => renameRole(trx, role.id, displayName)).catch(conflictOnDuplicate(DUPLICATE_ROLE));
    const updated = (await listRolesOfOrg(db, role.org_id)).find((candidate) => candidate.id === role.id)!;
    return c.json(roleInfo(updated));
  });

  app.delete('/:id', validate('param', ID_PARAM), async (c) => {
    const { actor } = c.var;
    const role = await roleFor(actor, c.req.valid('param').id);
    const holders = await countUsersWithRole(db, role.id);
    if (holders > 0) throw new ApiError(409, `${holders} user(s) still have this role: give them another role first`);
    // New users of the organisation get the default role: it stays until another takes its place.
    if ((await findOrg(db, role.org_id))?.default_role_id === role.id) throw new ApiError(409, 'This is the default role for new users: make another role the default first');
    await applyAdminChange(c, services, { op: 'delete_role', orgId: role.org_id, target: role.id, detail: { displayName: role.display_name } }, (trx) => deleteRole(trx, role.id));
    return c.body(null, 204);
  });

  app.put('/:id/permissions/:permissionId', validate('param', PERMISSION_PARAMS), async (c) => {
    const { role, permission } = await rolePermissionFor(c.var.actor, c.req.valid('param'));
    if (!(await isGrantable(db, role.org_id, permission.id))) throw new ApiError(403, `This organisation may not grant ${permission.scope}`);
    await applyAdminChange(c, services, { op: 'add_role_permission', orgId: role.org_id, target: role.id, detail: { scope: permission.scope, roleName: role.display_name } }, (trx) =>
      addPermissionToRole(trx, role.id, permission.id),
    );
    return c.body(null, 204);
  });

  app.delete('/:id/permissions/:permissionId', validate('param', PERMISSION_PARAMS), async (c) => {
    const { role, permission } = await rolePermissionFor(c.var.actor, c.req.valid('param'));
    await applyAdminChange(c, services, { op: 'remove_role_permission', orgId: role.org_id, target: role.id, detail: { scope: permission.scope, roleName: role.display_name } }, (trx) =>
      removePermissionFromRole(trx, role.id, permission.id),
    );
    return c.body(null, 204);
  });

  return app;
}
