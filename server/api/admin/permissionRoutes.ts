/** `/auth/api/admin/permissions`: the permission catalogue (changes: master admins only). */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Services } from '../../services.js';
import type { Database, Permission } from '../../db/schema.js';
import type { Page, PermissionInfo } from '../../../shared/admin.js';
import { ApiError } from '../../http/apiError.js';
import { validate } from '../../http/validate.js';
import { PAGE_QUERY } from '../../db/pagination.js';
import { deletePermission, findPermission, findScopeIgnoringCase, insertPermission, listPermissions, updatePermission } from '../../db/permissions.js';
import { BUILT_IN_SCOPES } from '../../../shared/permissionScopes.js';
import { applyAdminChange, requireMaster, type AdminEnv } from './adminAccess.js';
import { DOMAIN, NAME, SCOPE, conflictOnDuplicate, uuidParams } from './adminInput.js';
import { permissionInfo } from './adminResponses.js';

const CREATE = z.object({ scope: SCOPE, displayName: NAME, domain: DOMAIN.optional() }).strict();
const PATCH = CREATE.partial().strict();
const ID_PARAM = uuidParams('id');

const DUPLICATE_SCOPE = 'A permission with this scope already exists';

/**
 * Refuses a scope that differs from another permission's only by case (409), so that no
 * `AUTH:ADMIN` can sit beside `auth:admin` and pass for it in a list or in Remote-Groups.
 * Run inside the change's transaction, so that two requests cannot both pass the check.
 */
async function refuseCaseTwin(db: Kysely<Database>, scope: string, exceptId: string | null): Promise<void> {
  const twin = await findScopeIgnoringCase(db, scope, exceptId);
  if (twin) throw new ApiError(409, twin.scope === scope ? DUPLICATE_SCOPE : `Scopes may not differ only by case: ${twin.scope} already exists`);
}

export function permissionRoutes(services: Services): Hono<AdminEnv> {
  const { db } = services.database;
  const app = new Hono<AdminEnv>();

  app.get('/', validate('query', PAGE_QUERY), async (c) => {
    const { actor } = c.var;
    const page = c.req.valid('query');
    // Org admins see what their organisation may grant.
    const { items, total } = await listPermissions(db, { page: page.page, perPage: page.per_page }, actor.level === 'master' ? null : actor.org.id);
    const body: Page<PermissionInfo> = { items: items.map(permissionInfo), page: page.page, perPage: page.per_page, total };
    return c.json(body);
  });

  app.post('/', requireMaster(), validate('json', CREATE), async (c) => {
    const input = c.req.valid('json');
    const permission = await applyAdminChange<Permission>(c, services, (created) => ({ op: 'create_permission', target: created.id, detail: { scope: input.scope } }), async (trx) => {
      await refuseCaseTwin(trx, input.scope, null);
      return insertPermission(trx, { scope: input.scope, displayName: input.displayName, domain: input.domain ?? null }, services.now());
    }).catch(conflictOnDuplicate(DUPLICATE_SCOPE));
    return c.json(permissionInfo(permission), 201);
  });

  app.patch('/:id', requireMaster(), validate('param', ID_PARAM), validate('json', PATCH), async (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const existing = await findPermission(db, id);
    if (!existing) throw new ApiError(404, 'No such permission');
    if (BUILT_IN_SCOPES.has(existing.scope) && (input.scope !== undefined || input.domain !== undefined)) {
      throw new ApiError(409, `${existing.scope} is built in: only its display name can change`);
    }
    await applyAdminChange(c, services, { op: 'update_permission', target: id, detail: { ...input, previousScope: existing.scope } }, async (trx) => {
      if (input.scope !== undefined) await refuseCaseTwin(trx, input.scope, id);
      await updatePermission(trx, id, { scope: input.scope, display_name: input.displayName, domain: input.domain });
    }).catch(conflictOnDuplicate(DUPLICATE_SCOPE));
    return c.json(permissionInfo((await findPermission(db, id))!));
  });

  app.delete('/:id', requireMaster(), validate('param', ID_PARAM), async (c) => {
    const { id } = c.req.valid('param');
    const existing = await findPermission(db, id);
    if (!existing) throw new ApiError(404, 'No such permission');
    if (BUILT_IN_SCOPES.has(existing.scope)) throw new ApiError(409, `${existing.scope} is built in and cannot be deleted`);
    await applyAdminChange(c, services, { op: 'delete_permission', target: id, detail: { scope: existing.scope } }, (trx) => deletePermission(trx, id));
    return c.body(null, 204);
  });

  return app;
}
