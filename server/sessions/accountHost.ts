/**
 * Which sessions may change their account and see all of it. The proxy hands an app every request
 * of its visitors, cookies included, so with a dedicated auth host a session on an app host proves
 * only "signed in to this app": adding a passkey or device, deleting a passkey, ending other
 * sessions and seeing the passkeys and other sessions need a session on the auth host, where no app
 * runs. Without an auth host every host serves the account page, and an app sharing a host could
 * drive that page in its visitors' browsers anyway: there every session may (README, "Trust model").
 */
import type { Session } from '../db/schema.js';

/** Whether `session` may change its account and see all of it, given the dedicated auth host (or null). */
export function isAccountSession(session: Pick<Session, 'host'>, authHost: string | null): boolean {
  return authHost === null || session.host === authHost;
}

/** Why a session on an app host was refused, and where to do it instead. */
export function accountHostOnly(sessionHost: string, accountUrl: string): string {
  return `A sign-in on ${sessionHost} cannot change your account: add or delete passkeys and end other sessions on your account page, ${accountUrl}`;
}
