import type { ExchangeCode, Session } from '../db/schema.js';
import type { Services } from '../services.js';
import type { ParsedOrigin } from '../webauthn/origins.js';
import { hashSecret, randomSecret } from '../crypto/tokens.js';
import { insertExchangeCode } from '../db/sessions.js';
import { EXCHANGE_CODE_LIFETIME_MS } from '../sessions/sessions.js';
import { CLOSE } from '../../shared/ws.js';
import { CeremonyError } from './ceremonySocket.js';

/** What a ceremony knows about its socket, settled before the upgrade. */
export interface CeremonyContext {
  services: Services;
  /** The page's origin (already checked against the allowed origins); sessions are bound to its host. */
  origin: ParsedOrigin;
  /** The session this browser already has for the origin's host, if any. */
  session: Session | null;
  ip: string;
  userAgent: string;
}

/**
 * A new single-use code, which the page redeems at `POST /auth/api/set-session` on its own host,
 * and the row that stores it (by hash). `authenticatedAt` becomes the session's `authenticated_at`,
 * which the recent-authentication check and `max_age` trust: pass only the time of a passkey use
 * that verified the user.
 */
export function newExchangeCode(
  ctx: CeremonyContext,
  values: { userId: string; credentialId: string; authenticatedAt: number },
): { code: string; row: ExchangeCode } {
  const code = randomSecret();
  const row: ExchangeCode = {
    code_hash: hashSecret(code),
    user_id: values.userId,
    credential_id: values.credentialId,
    host: ctx.origin.host,
    ip: ctx.ip,
    user_agent: ctx.userAgent,
    authenticated_at: values.authenticatedAt,
    expires_at: ctx.services.now() + EXCHANGE_CODE_LIFETIME_MS,
  };
  return { code, row };
}

/** Issues and stores a {@link newExchangeCode}; returns the code. */
export async function issueExchangeCode(
  ctx: CeremonyContext,
  values: { userId: string; credentialId: string; authenticatedAt: number },
): Promise<string> {
  const { code, row } = newExchangeCode(ctx, values);
  await insertExchangeCode(ctx.services.database.db, row);
  return code;
}

/**
 * Counts the ceremony against the account (and link) it aims at, so that many
 * addresses together get no more tries on one account than the limit.
 * @throws {CeremonyError} `rate_limited` when one of them is spent
 */
export function limitTarget(ctx: CeremonyContext, keys: readonly string[]): void {
  if (!ctx.services.limits.ceremonies.take(keys, ctx.services.now())) {
    throw new CeremonyError('rate_limited', CLOSE.rateLimited, 'Too many passkey attempts for this account; wait a minute');
  }
}
