/** `GET /auth/api/admin/audit`: the audit log, newest first; org admins see their organisation's entries. */
import { Hono } from 'hono';
import type { Services } from '../../services.js';
import type { AuditEntryInfo, Page } from '../../../shared/admin.js';
import { PAGE_QUERY } from '../../db/pagination.js';
import { listAudit } from '../../db/audit.js';
import { requireOrgAccess, type AdminEnv } from './adminAccess.js';
import { ID } from './adminInput.js';
import { validate } from '../../http/validate.js';
import { iso } from '../responses.js';

const QUERY = PAGE_QUERY.extend({ user: ID.optional(), org: ID.optional() });

export function auditRoutes(services: Services): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get('/', validate('query', QUERY), async (c) => {
    const { actor } = c.var;
    const query = c.req.valid('query');
    if (query.org) requireOrgAccess(actor, query.org);
    const orgId = actor.level === 'master' ? query.org : actor.org.id;
    const { items, total } = await listAudit(services.database.db, { page: query.page, perPage: query.per_page }, { userId: query.user, orgId });
    const body: Page<AuditEntryInfo> = {
      items: items.map((entry) => ({
        id: entry.id,
        at: iso(entry.at),
        action: entry.action,
        actor: entry.actor_user_id ? { id: entry.actor_user_id, displayName: entry.actor_name ?? '(deleted user)' } : null,
        orgId: entry.org_id,
        target: entry.target,
        ip: entry.ip,
        detail: JSON.parse(entry.detail) as Record<string, unknown>,
      })),
      page: query.page,
      perPage: query.per_page,
      total,
    };
    return c.json(body);
  });
  return app;
}
