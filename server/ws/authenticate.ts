/**
 * `WS /auth/ws/authenticate`: sign in with a discoverable passkey (no username),
 * or, when the browser already has a session for the page's host, re-authenticate
 * with one of that user's passkeys.
 */
import { generateAuthenticationOptions, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import { CEREMONY_TIMEOUT_MS, CLOSE } from '../../shared/ws.js';
import { CeremonyError, type Ceremony } from './ceremonySocket.js';
import { issueExchangeCode, limitTarget, type CeremonyContext } from './ceremonyContext.js';
import { accountKey } from '../http/rateLimitKeys.js';
import { credentialDescriptor, credentialIdBytes } from './credentialIds.js';
import { findCredentialByCredentialId, listCredentialsOfUser, recordCredentialUse } from '../db/credentials.js';
import { findUser } from '../db/people.js';
import { recordAudit } from '../db/audit.js';
import { verifyAssertion } from '../webauthn/verifyAssertion.js';

export function authenticateCeremony(ctx: CeremonyContext): Ceremony {
  const { db } = ctx.services.database;
  const { rpId } = ctx.services.config;
  const reauthUserId = ctx.session?.user_id ?? null;
  let expectedChallenge = '';

  return {
    async start(message) {
      if (message.token !== undefined) throw new CeremonyError('bad_message', CLOSE.badMessage, 'Invalid message: a sign-in takes no link token');
      if (reauthUserId) limitTarget(ctx, [accountKey(reauthUserId)]);
      // A re-authentication may only use the signed-in user's passkeys.
      const allowCredentials = reauthUserId ? (await listCredentialsOfUser(db, reauthUserId)).map(credentialDescriptor) : [];
      // User verification (PIN, biometrics) required: a passkey is then two factors, so a stolen
      // security key touched without its PIN signs nobody in, nor passes a recent-authentication check.
      const options = await generateAuthenticationOptions({ rpID: rpId, userVerification: 'required', allowCredentials, timeout: CEREMONY_TIMEOUT_MS });
      expectedChallenge = options.challenge;
      return { type: 'options', ceremony: 'authenticate', options, reauth: reauthUserId !== null };
    },

    async finish(response) {
      const now = ctx.services.now();
      // Find the passkey the browser used.
      const credential = await findCredentialByCredentialId(db, credentialIdBytes(response.rawId));
      if (!credential) {
        throw new CeremonyError('unknown_credential', CLOSE.notFound, 'This passkey is not registered here (it may have been deleted); try another one');
      }
      if (reauthUserId && credential.user_id !== reauthUserId) {
        throw new CeremonyError('verification_failed', CLOSE.forbidden, 'Use a passkey of the account that is signed in, or sign out first');
      }
      // Check signature, challenge, origin, RP ID, user verification and that the signature counter did not go backwards.
      // Both ways verification can refuse (it throws for a malformed or mismatched response, answers
      // `verified: false` for a bad signature) are audited as a failed sign-in of the passkey's owner.
      const refuse = async (reason: string): Promise<never> => {
        await recordAudit(db, { action: 'sign_in_failed', actorUserId: credential.user_id, target: ctx.origin.host, ip: ctx.ip, detail: { reason } }, now);
        throw new CeremonyError('verification_failed', CLOSE.forbidden, `Passkey verification failed: ${reason}`);
      };
      let verification;
      try {
        verification = await verifyAssertion({
          response: response as unknown as AuthenticationResponseJSON,
          expectedChallenge,
          expectedOrigin: ctx.origin.origin,
          expectedRPID: rpId,
          credential: { publicKey: credential.public_key, counter: credential.sign_count },
        });
      } catch (error) {
        return refuse((error as Error).message);
      }
      if (!verification.verified) return refuse('the signature does not match the passkey');
      const { newCounter, credentialBackedUp } = verification.authenticationInfo;
      await recordCredentialUse(db, credential.id, { signCount: newCounter, backupState: credentialBackedUp }, now);

      const user = await findUser(db, credential.user_id);
      if (!user) throw new CeremonyError('unknown_credential', CLOSE.notFound, 'The account of this passkey no longer exists');
      const code = await issueExchangeCode(ctx, { userId: user.id, credentialId: credential.id, authenticatedAt: now });
      return { type: 'success', code, user: { id: user.id, displayName: user.display_name }, credentialId: credential.id };
    },
  };
}
