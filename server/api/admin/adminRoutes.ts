/** `/auth/api/admin/*` (auth host only, see hostmode): 401 without a session, 403 without admin rights. */
import { Hono } from 'hono';
import type { Services } from '../../services.js';
import type { AdminMe } from '../../../shared/admin.js';
import { requireSession } from '../../http/requestSession.js';
import { requireAdmin, type AdminEnv } from './adminAccess.js';
import { permissionRoutes } from './permissionRoutes.js';
import { orgRoutes } from './orgRoutes.js';
import { roleRoutes } from './roleRoutes.js';
import { adminUserRoutes } from './userRoutes.js';
import { auditRoutes } from './auditRoutes.js';
import { oidcClientRoutes } from './oidcClientRoutes.js';
import { oidcKeyRoutes } from './oidcKeyRoutes.js';
import { apiKeyAdminRoutes } from '../../apikeys/apiKeyAdminRoutes.js';

export function adminRoutes(services: Services): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  // Every admin path, known or not, answers 401/403 before anything else.
  app.use(requireSession(services), requireAdmin(services));
  app.get('/me', (c) => {
    const { actor } = c.var;
    const body: AdminMe = { user: { id: actor.userId, displayName: actor.displayName }, level: actor.level, org: actor.org };
    return c.json(body);
  });
  app.route('/permissions', permissionRoutes(services));
  app.route('/orgs', orgRoutes(services));
  app.route('/orgs/:orgId/api-keys', apiKeyAdminRoutes(services));
  app.route('/roles', roleRoutes(services));
  app.route('/users', adminUserRoutes(services));
  app.route('/audit', auditRoutes(services));
  app.route('/oidc/clients', oidcClientRoutes(services));
  app.route('/oidc/keys', oidcKeyRoutes(services));
  return app;
}
