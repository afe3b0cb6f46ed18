/** `/auth/api/admin/*` (auth host only, see hostmode): 401 without a session, 403 without admin rights. */
import { Hono } from 'hono';
import type { AppEnv, Services } from '../../services.js';
import type { AdminMe } from '../../../shared/admin.js';
import { requireAdmin } from './adminAccess.js';
import { permissionRoutes } from './permissionRoutes.js';
import { orgRoutes } from './orgRoutes.js';
import { roleRoutes } from './roleRoutes.js';
import { adminUserRoutes } from './userRoutes.js';
import { auditRoutes } from './auditRoutes.js';

export function adminRoutes(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/me', async (c) => {
    const actor = await requireAdmin(c, services);
    const body: AdminMe = { user: { id: actor.userId, displayName: actor.displayName }, level: actor.level, org: actor.org };
    return c.json(body);
  });
  app.route('/permissions', permissionRoutes(services));
  app.route('/orgs', orgRoutes(services));
  app.route('/roles', roleRoutes(services));
  app.route('/users', adminUserRoutes(services));
  app.route('/audit', auditRoutes(services));
  return app;
}
