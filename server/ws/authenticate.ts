/**
 * `WS /auth/ws/authenticate`: sign in with a discoverable passkey (no username),
 * or, when the browser already has a session for the page's host, re-authenticate
 * with one of that user's passkeys. The options and the verification are exported
 * for the REST ceremonies of apps (server/appflows/), which keep the challenge elsewhere.
 */
import { generateAuthenticationOptions, type AuthenticationResponseJSON, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { CEREMONY_TIMEOUT_MS, CLOSE } from '../../shared/ws.js';
import { CeremonyError, type Ceremony, type CredentialResponse } from './ceremonySocket.js';
import { limitTarget, newExchangeCode, type CeremonyContext } from './ceremonyContext.js';
import { accountKey } from '../http/rateLimitKeys.js';
import { credentialDescriptor, credentialIdBytes } from './credentialIds.js';
import { listCredentialsOfUser } from '../db/credentials.js';
import { signInQueries, type PasskeyUse } from '../db/signInQueries.js';
import type { MaybePromise } from '../db/identity.js';
import { recordAudit } from '../db/audit.js';
import type { User } from '../db/schema.js';
import type { Services } from '../services.js';
import { verifyAssertion } from '../webauthn/verifyAssertion.js';
import { randomFromPool } from '../crypto/randomPool.js';

/** What {@link verifySignIn} checks an answer against. */
export interface SignInCheck {
  response: CredentialResponse;
  /** The challenge the options carried. */
  expectedChallenge: string;
  /** The origin the client data must name, already checked against the allowed origins. */
  expectedOrigin: string;
  /** A re-authentication: only this user's passkeys count. */
  reauthUserId: string | null;
  /** For the audit of a failed sign-in: where it was aimed (a host, an app origin) and from which address. */
  target: string;
  ip: string;
}

/** A verified passkey use. */
export interface VerifiedSignIn {
  user: User;
  /** Our id of the passkey (a UUID). */
  credentialId: string;
  /** Whether the passkey may leave its device (synced): decides `amr`/`acr` of tokens. */
  backupEligible: boolean;
  /** When the user was verified: becomes `authenticated_at` / `auth_time`. */
  authenticatedAt: number;
}

/** The request options of a sign-in; for a re-authentication only that user's passkeys are allowed. */
export async function signInOptions(services: Services, reauthUserId: string | null): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const allowCredentials = reauthUserId ? (await listCredentialsOfUser(services.database.db, reauthUserId)).map(credentialDescriptor) : [];
  // User verification (PIN, biometrics) required: a passkey is then two factors, so a stolen
  // security key touched without its PIN signs nobody in, nor passes a recent-authentication check.
  // The challenge: 32 random bytes as SimpleWebAuthn would make, from the pool (server/crypto/randomPool.ts).
  return generateAuthenticationOptions({ rpID: services.config.rpId, userVerification: 'required', allowCredentials, timeout: CEREMONY_TIMEOUT_MS, challenge: randomFromPool(32) });
}

/** A verified sign-in answer whose use of the passkey is not recorded yet. */
interface CheckedSignIn {
  signIn: VerifiedSignIn;
  use: PasskeyUse;
}

/**
 * Verifies a sign-in answer and records the passkey's use.
 * @throws {CeremonyError} `unknown_credential`, `verification_failed` or `bad_message`
 */
export async function verifySignIn(services: Services, check: SignInCheck): Promise<VerifiedSignIn> {
  const checked = await checkSignIn(services, check);
  return recordedOrRefused(services, check, checked, signInQueries(services.database).recordUse(checked.use));
}

/**
 * Verifies a sign-in answer against the passkey it names; records nothing.
 * @throws {CeremonyError} `unknown_credential`, `verification_failed` or `bad_message`
 */
async function checkSignIn(services: Services, check: SignInCheck): Promise<CheckedSignIn> {
  const now = services.now();
  // Find the passkey the client used, and whose it is.
  const passkey = await signInQueries(services.database).findPasskey(credentialIdBytes(check.response.rawId));
  if (!passkey) {
    throw new CeremonyError('unknown_credential', CLOSE.notFound, 'This passkey is not registered here (it may have been deleted); try another one');
  }
  if (check.reauthUserId && passkey.owner.id !== check.reauthUserId) {
    throw new CeremonyError('verification_failed', CLOSE.forbidden, 'Use a passkey of the account that is signed in, or sign out first');
  }
  // Check signature, challenge, origin, RP ID, user verification and that the signature counter did not go backwards.
  // Both ways verification can refuse (it throws for a malformed or mismatched response, answers
  // `verified: false` for a bad signature) are audited as a failed sign-in of the passkey's owner.
  let verification;
  try {
    verification = await verifyAssertion({
      response: check.response as unknown as AuthenticationResponseJSON,
      expectedChallenge: check.expectedChallenge,
      expectedOrigin: check.expectedOrigin,
      expectedRPID: services.config.rpId,
      credential: { publicKey: passkey.public_key, counter: passkey.sign_count },
    });
  } catch (error) {
    return refuseSignIn(services, check, passkey.owner.id, (error as Error).message, now);
  }
  if (!verification.verified) return refuseSignIn(services, check, passkey.owner.id, 'the signature does not match the passkey', now);
  const { newCounter, credentialBackedUp } = verification.authenticationInfo;
  return {
    signIn: { user: passkey.owner, credentialId: passkey.id, backupEligible: passkey.backup_eligible === 1, authenticatedAt: now },
    use: { passkeyId: passkey.id, checkedSignCount: passkey.sign_count, signCount: newCounter, backupState: credentialBackedUp, at: now },
  };
}

/**
 * The checked sign-in once `recorded` says its use was recorded. Refused (and audited) when it was
 * not: the passkey's counter changed since the check, so another sign-in with it was recorded meanwhile.
 */
async function recordedOrRefused(services: Services, check: SignInCheck, checked: CheckedSignIn, recorded: MaybePromise<boolean>): Promise<VerifiedSignIn> {
  if (!(await recorded)) return refuseSignIn(services, check, checked.signIn.user.id, 'another sign-in with this passkey was recorded meanwhile', checked.use.at);
  return checked.signIn;
}

/** Audits a failed sign-in of the passkey's owner and refuses it. */
async function refuseSignIn(services: Services, check: SignInCheck, ownerId: string, reason: string, now: number): Promise<never> {
  await recordAudit(services.database.db, { action: 'sign_in_failed', actorUserId: ownerId, target: check.target, ip: check.ip, detail: { reason } }, now);
  throw new CeremonyError('verification_failed', CLOSE.forbidden, `Passkey verification failed: ${reason}`);
}

export function authenticateCeremony(ctx: CeremonyContext): Ceremony {
  const reauthUserId = ctx.session?.user_id ?? null;
  let expectedChallenge = '';

  return {
    async start(message) {
      if (message.token !== undefined) throw new CeremonyError('bad_message', CLOSE.badMessage, 'Invalid message: a sign-in takes no link token');
      if (reauthUserId) limitTarget(ctx, [accountKey(reauthUserId)]);
      const options = await signInOptions(ctx.services, reauthUserId);
      expectedChallenge = options.challenge;
      return { type: 'options', ceremony: 'authenticate', options, reauth: reauthUserId !== null };
    },

    async finish(response) {
      const check: SignInCheck = { response, expectedChallenge, expectedOrigin: ctx.origin.origin, reauthUserId, target: ctx.origin.host, ip: ctx.ip };
      const checked = await checkSignIn(ctx.services, check);
      const { user, credentialId, authenticatedAt } = checked.signIn;
      // The passkey's use and the exchange code in one transaction (one commit).
      const { code, row } = newExchangeCode(ctx, { userId: user.id, credentialId, authenticatedAt });
      await recordedOrRefused(ctx.services, check, checked, signInQueries(ctx.services.database).recordUseAndIssueCode(checked.use, row));
      return { type: 'success', code, user: { id: user.id, displayName: user.display_name }, credentialId };
    },
  };
}
