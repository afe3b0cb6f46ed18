/** The audit log: who did what to whom, when and from where. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type AuditAction =
  | 'sign_in'
  | 'sign_in_failed'
  | 'passkey_added'
  | 'passkey_removed'
  | 'session_ended'
  | 'sessions_ended_all'
  | 'display_name_changed'
  | 'link_created'
  | 'admin_change';

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
