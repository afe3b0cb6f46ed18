/** The audit log: who did what to whom, when and from where. */
import type { Kysely } from 'kysely';
import type { AuditEntry, Database } from './schema.js';
import { pageOffset, type PageRequest } from './pagination.js';
import type { AuditAction } from '../../shared/audit.js';

export interface AuditEvent {
  action: AuditAction;
  actorUserId: string | null;
  orgId?: string | null;
  target?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown>;
}

export async function recordAudit(db: Kysely<Database>, event: AuditEvent, now: number): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: now,
      action: event.action,
      actor_user_id: event.actorUserId,
      org_id: event.orgId ?? null,
      target: event.target ?? null,
      ip: event.ip ?? null,
      detail: JSON.stringify(event.detail ?? {}),
    })
    .execute();
}

export type AuditRow = AuditEntry & { actor_name: string | null };

/** Newest first, filtered by actor or target user and by organisation. */
export async function listAudit(
  db: Kysely<Database>,
  page: PageRequest,
  filter: { userId?: string; orgId?: string },
): Promise<{ items: AuditRow[]; total: number }> {
  let query = db.selectFrom('audit_log').leftJoin('users', 'users.id', 'audit_log.actor_user_id');
  if (filter.userId) {
    const userId = filter.userId;
    query = query.where((eb) => eb.or([eb('audit_log.actor_user_id', '=', userId), eb('audit_log.target', '=', userId)]));
  }
  if (filter.orgId) query = query.where('audit_log.org_id', '=', filter.orgId);
  const { limit, offset } = pageOffset(page);
  const [items, count] = await Promise.all([
    query
      .selectAll('audit_log')
      .select('users.display_name as actor_name')
      .orderBy('audit_log.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** Deletes entries older than `before`; returns how many. */
export async function pruneAudit(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom('audit_log').where('at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
