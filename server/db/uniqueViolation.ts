/**
 * Recognising a write refused by a UNIQUE (or primary key) constraint, on either database, so
 * that routes can answer 409 instead of 500.
 */

/** PostgreSQL's SQLSTATE for unique_violation. */
const POSTGRES_UNIQUE_VIOLATION = '23505';
const SQLITE_UNIQUE_VIOLATIONS = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/**
 * What refused the write when `error` is a unique violation, else null: PostgreSQL names the
 * constraint or index (`users_email_unique`); SQLite's message names the index or the columns
 * ("UNIQUE constraint failed: index 'users_email_unique'", "UNIQUE constraint failed: users.username").
 */
export function uniqueViolation(error: unknown): string | null {
  const { code, constraint, message } = (error ?? {}) as { code?: unknown; constraint?: unknown; message?: unknown };
  if (code === POSTGRES_UNIQUE_VIOLATION) return typeof constraint === 'string' ? constraint : '';
  if (typeof code === 'string' && SQLITE_UNIQUE_VIOLATIONS.has(code)) return String(message);
  return null;
}
