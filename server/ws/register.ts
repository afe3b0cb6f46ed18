/**
 * `WS /auth/ws/register`: register a passkey, either with a reset or
 * device-addition link token (in the `start` frame, consumed on success), or as a
 * signed-in user adding another passkey after a recent authentication. The options and the
 * verification are exported for the REST ceremonies of apps (server/appflows/).
 */
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoUint8Array } from '@simplewebauthn/server/helpers';
import { uuidv7 } from 'uuidv7';
import { CEREMONY_TIMEOUT_MS, CLOSE } from '../../shared/ws.js';
import { isResetToken } from '../../shared/resetToken.js';
import { CeremonyError, type Ceremony, type CredentialResponse } from './ceremonySocket.js';
import { issueExchangeCode, limitTarget, type CeremonyContext } from './ceremonyContext.js';
import { accountKey, linkKey } from '../http/rateLimitKeys.js';
import { credentialDescriptor } from './credentialIds.js';
import { hashResetToken } from '../crypto/tokens.js';
import { fromBase64Url } from '../crypto/base64url.js';
import { randomFromPool } from '../crypto/randomPool.js';
import { findCredentialByCredentialId, insertCredential, listCredentialsOfUser } from '../db/credentials.js';
import { consumeResetToken, findLiveResetToken } from '../db/resetTokens.js';
import { findUser } from '../db/people.js';
import { recordAudit } from '../db/audit.js';
import type { Bytes, User } from '../db/schema.js';
import { isRecentAuth } from '../sessions/sessions.js';
import { accountHostOnly, isAccountSession } from '../sessions/accountHost.js';
import { uiUrl } from '../links.js';
import { newPasskeyName } from '../webauthn/passkeyName.js';
import type { Services } from '../services.js';

/** What {@link verifyRegistration} checks an answer against. */
export interface RegistrationCheck {
  response: CredentialResponse;
  /** The challenge the options carried. */
  expectedChallenge: string;
  /** The origin the client data must name, already checked against the allowed origins. */
  expectedOrigin: string;
  /** Whose passkey it becomes. */
  account: User;
  /** The link being used (consumed with the new passkey), or null for a signed-in user. */
  linkToken: string | null;
  ip: string;
  /** Names the passkey when its authenticator is not listed ("Chrome on Linux"). */
  userAgent: string;
}

/** The creation options for a new passkey of `user`, whose passkeys are excluded. */
export async function registrationOptions(services: Services, user: User): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { rpId, rpName } = services.config;
  // Exclude the user's passkeys so an authenticator cannot register twice. User verification is
  // required as for sign-in: success signs the browser in (a link plus a bare touch must not).
  const existing = await listCredentialsOfUser(services.database.db, user.id);
  return generateRegistrationOptions({
    rpName,
    rpID: rpId,
    userName: user.display_name,
    userDisplayName: user.display_name,
    userID: isoUint8Array.fromUTF8String(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map(credentialDescriptor),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    timeout: CEREMONY_TIMEOUT_MS,
    // As SimpleWebAuthn would make it (32 random bytes), from the pool: see server/crypto/randomPool.ts.
    challenge: randomFromPool(32),
  });
}

/**
 * Verifies a registration answer and stores the passkey (consuming the link, if any), audited.
 * @returns our id of the new passkey (a UUID)
 * @throws {CeremonyError} `verification_failed`, `credential_exists` or `token_invalid`
 */
export async function verifyRegistration(services: Services, check: RegistrationCheck): Promise<string> {
  const { db } = services.database;
  const { account, linkToken: token } = check;
  const now = services.now();
  // Check attestation, challenge, origin, RP ID and user verification.
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: check.response as unknown as RegistrationResponseJSON,
      expectedChallenge: check.expectedChallenge,
      expectedOrigin: check.expectedOrigin,
      expectedRPID: services.config.rpId,
      requireUserVerification: true,
    });
  } catch (error) {
    throw new CeremonyError('verification_failed', CLOSE.forbidden, `Passkey registration failed: ${(error as Error).message}`);
  }
  if (!verification.verified) throw new CeremonyError('verification_failed', CLOSE.forbidden, 'Passkey registration failed');
  const info = verification.registrationInfo;
  const credentialId = info.credential.id;
  const credentialIdBytes = fromBase64Url(credentialId);
  if (await findCredentialByCredentialId(db, credentialIdBytes)) {
    throw new CeremonyError('credential_exists', CLOSE.conflict, 'This passkey is already registered');
  }

  const id = uuidv7();
  // The passkey, the link's use and the audit entry land together or not at all.
  await db.transaction().execute(async (trx) => {
    // Single use: the link is consumed with the write, so two sockets cannot both use it.
    if (token !== null && !(await consumeResetToken(trx, hashResetToken(token), now))) {
      throw new CeremonyError('token_invalid', CLOSE.notFound, 'This link has expired or was already used; ask for a new one');
    }
    // Named within the transaction, so that two registrations at once cannot take the same name.
    const taken = (await listCredentialsOfUser(trx, account.id)).map((credential) => credential.name);
    await insertCredential(trx, {
      id,
      user_id: account.id,
      credential_id: credentialIdBytes,
      public_key: info.credential.publicKey as Bytes,
      sign_count: info.credential.counter,
      transports: JSON.stringify(info.credential.transports ?? []),
      aaguid: info.aaguid,
      name: newPasskeyName({ aaguid: info.aaguid, userAgent: check.userAgent }, taken),
      backup_eligible: info.credentialDeviceType === 'multiDevice' ? 1 : 0,
      backup_state: info.credentialBackedUp ? 1 : 0,
      created_at: now,
      last_used_at: now,
    });
    await recordAudit(trx, { action: 'passkey_added', actorUserId: account.id, orgId: account.org_id, target: id, ip: check.ip, detail: { via: token === null ? 'session' : 'link' } }, now);
  });
  return id;
}

export function registerCeremony(ctx: CeremonyContext): Ceremony {
  const { db } = ctx.services.database;
  let token: string | null = null;
  let expectedChallenge = '';
  let user: User | undefined;

  /** The account the new passkey is for: the link's user, or the recently authenticated session's. */
  async function findAccount(now: number): Promise<User | undefined> {
    if (token !== null) {
      const link = isResetToken(token) ? await findLiveResetToken(db, hashResetToken(token), now) : undefined;
      if (!link) throw new CeremonyError('token_invalid', CLOSE.notFound, 'This link has expired or was already used; ask for a new one');
      return findUser(db, link.user_id);
    }
    if (!ctx.session) throw new CeremonyError('reauth_required', CLOSE.unauthorized, 'Sign in first, or open a device link, to register a passkey');
    if (!isAccountSession(ctx.session, ctx.services.config.authHost)) {
      throw new CeremonyError('account_host_only', CLOSE.forbidden, accountHostOnly(ctx.session.host, uiUrl(ctx.services.config)));
    }
    if (!isRecentAuth(ctx.session, now)) {
      throw new CeremonyError('reauth_required', CLOSE.unauthorized, 'Confirm it is you: use your passkey again, then add the new one');
    }
    return findUser(db, ctx.session.user_id);
  }

  return {
    async start(message) {
      token = message.token ?? null;
      user = await findAccount(ctx.services.now());
      if (!user) throw new CeremonyError('token_invalid', CLOSE.notFound, 'The account no longer exists');
      limitTarget(ctx, token === null ? [accountKey(user.id)] : [accountKey(user.id), linkKey(token)]);
      const options = await registrationOptions(ctx.services, user);
      expectedChallenge = options.challenge;
      return { type: 'options', ceremony: 'register', options, user: { id: user.id, displayName: user.display_name } };
    },

    async finish(response) {
      const account = user!;
      const id = await verifyRegistration(ctx.services, {
        response, expectedChallenge, expectedOrigin: ctx.origin.origin, account, linkToken: token, ip: ctx.ip, userAgent: ctx.userAgent,
      });
      const code = await issueExchangeCode(ctx, { userId: account.id, credentialId: id, authenticatedAt: ctx.services.now() });
      return { type: 'success', code, user: { id: account.id, displayName: account.display_name }, credentialId: id };
    },
  };
}
