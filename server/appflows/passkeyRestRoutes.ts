/**
 * `/auth/api/app/passkeys/`: the passkey ceremonies over plain HTTP, for native and mobile apps and
 * first-party web apps (shared/passkeyRest.ts, docs/apps.md). `begin` makes the options as the
 * WebSocket ceremonies do and stores their challenge in the database under the hash of a random key
 * (2 minutes, so a begin on one instance and its complete on another work); `complete` consumes the
 * key with one conditional statement and verifies the answer with the WebSocket ceremonies' own
 * steps. A sign-in ends with OpenID Connect tokens (token mode, a public client) or the session
 * cookie (cookie mode); a registration adds a passkey to the signed-in person after a recent sign-in.
 *
 * Mounted behind the API's Origin and CSRF checks: cookie mode reads and sets cookies.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv, Services } from '../services.js';
import type { PasskeyChallenge, PasskeyChallengeKind, User } from '../db/schema.js';
import type { AppTokens } from '../../shared/appFlows.js';
import type { PasskeyBegun, PasskeyCookieSignIn, PasskeyRegistered } from '../../shared/passkeyRest.js';
import { CREDENTIAL_RESPONSE, CeremonyError, type CredentialResponse } from '../ws/ceremonySocket.js';
import { signInOptions, verifySignIn, type VerifiedSignIn } from '../ws/authenticate.js';
import { registrationOptions, verifyRegistration } from '../ws/register.js';
import { consumePasskeyChallenge, insertPasskeyChallenge } from '../db/passkeyChallenges.js';
import { findOidcClient, type OidcClient } from '../db/oidcClients.js';
import { findOidcConsent } from '../db/oidcGrants.js';
import { findUser } from '../db/people.js';
import { hashSecret, randomSecret } from '../crypto/tokens.js';
import { describeIssue } from '../http/validate.js';
import { addressKey, accountKey } from '../http/rateLimitKeys.js';
import { sessionOf } from '../http/requestSession.js';
import { startBrowserSession } from '../http/browserSession.js';
import { isRecentAuth } from '../sessions/sessions.js';
import { accountHostOnly, isAccountSession } from '../sessions/accountHost.js';
import { uiUrl } from '../links.js';
import { verifyAccessToken } from '../oidc/accessToken.js';
import { OAuthError } from '../oidc/oauthError.js';
import { BEARER } from '../oidc/userinfoRoutes.js';
import { grantableScopes } from '../oidc/authorizeRequest.js';
import { appPerson } from '../oidc/appPerson.js';
import { startGrant } from '../oidc/signInGrant.js';
import { issueTokens } from '../oidc/issueTokens.js';
import { appUser } from './appUser.js';
import { clientDataOrigin, expectedOrigin, type CeremonyMode } from './passkeyRestOrigin.js';

/** A challenge key is good for this long, like the WebSocket ceremony's answer time. */
export const CHALLENGE_KEY_LIFETIME_MS = 2 * 60 * 1000;
const MAX_USER_AGENT = 512;

const AUTHENTICATE_BEGIN = z.object({ client_id: z.string().min(1).max(256).optional(), scope: z.string().max(512).optional() }).strict();
const REGISTER_BEGIN = z.object({}).strict();
const COMPLETE = z.object({ challengeKey: z.string().min(1).max(100), credential: CREDENTIAL_RESPONSE }).strict();

/** A refusal: status, a machine code (the WebSocket ceremonies' codes where they apply) and a sentence. */
class PasskeyRestError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 429,
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const CHALLENGE_INVALID = new PasskeyRestError(404, 'challenge_invalid', 'The challenge key is unknown, expired (2 minutes), already used or of the other ceremony; begin again');

/** A ceremony's refusal as HTTP: its 44xx close code is the status plus 4000. */
function fromCeremonyError(error: CeremonyError): PasskeyRestError {
  const status = error.closeCode - 4000;
  if (status === 400 || status === 401 || status === 403 || status === 404 || status === 409 || status === 429) return new PasskeyRestError(status, error.code, error.detail);
  throw error;
}

/** Who is adding a passkey: the person, and the public client whose access token says so (null: a session cookie). */
interface Registrant {
  user: User;
  clientId: string | null;
  mode: CeremonyMode;
}

export function passkeyRestRoutes(services: Services): Hono<AppEnv> {
  const { db } = services.database;
  const app = new Hono<AppEnv>();

  /** The JSON body, checked against `schema`; no body at all counts as `{}`. */
  async function body<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.infer<Schema>> {
    let value: unknown;
    try {
      const text = await c.req.text();
      value = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new PasskeyRestError(400, 'invalid_request', 'The body must be JSON');
    }
    const result = schema.safeParse(value);
    if (!result.success) throw new PasskeyRestError(400, 'invalid_request', `Invalid request body: ${describeIssue(result.error)}`);
    return result.data;
  }

  /** Counts a ceremony started against each key (the address, the account). */
  function limit(keys: readonly string[]): void {
    if (!services.limits.ceremonies.take(keys, services.now())) throw new PasskeyRestError(429, 'rate_limited', 'Too many passkey attempts; wait a minute');
  }

  /** The public client a token-mode sign-in is for. */
  async function publicClient(clientId: string): Promise<OidcClient> {
    const client = await findOidcClient(db, clientId);
    if (!client) throw new PasskeyRestError(400, 'invalid_client', `No app is registered with client_id ${JSON.stringify(clientId)}`);
    if (!client.isPublic) throw new PasskeyRestError(400, 'invalid_client', `${client.name} is a confidential app: it signs people in with the authorization code flow, not here`);
    return client;
  }

  /** Stores the challenge under a new key and answers `{ challengeKey, options }`. */
  async function begun<Options extends { challenge: string }>(options: Options, values: Omit<PasskeyChallenge, 'key_hash' | 'challenge' | 'expires_at'>): Promise<PasskeyBegun<Options>> {
    const challengeKey = randomSecret();
    await insertPasskeyChallenge(db, { ...values, key_hash: hashSecret(challengeKey), challenge: options.challenge, expires_at: services.now() + CHALLENGE_KEY_LIFETIME_MS });
    return { challengeKey, options };
  }

  /** Takes the challenge `challengeKey` names, once; it must have been begun on this host. */
  async function consume(c: Context, challengeKey: string, kind: PasskeyChallengeKind): Promise<PasskeyChallenge> {
    const challenge = await consumePasskeyChallenge(db, hashSecret(challengeKey), kind, services.now());
    if (!challenge || challenge.host !== services.hostOf(c)) throw CHALLENGE_INVALID;
    return challenge;
  }

  /** The origin the answer must name in this mode (passkeyRestOrigin.ts). */
  function originFor(credential: CredentialResponse, mode: CeremonyMode): string {
    const decided = expectedOrigin(clientDataOrigin(credential.response.clientDataJSON), mode, services.config);
    if (!decided.ok) throw new PasskeyRestError(403, 'verification_failed', `Passkey verification failed: ${decided.reason}`);
    return decided.origin;
  }

  /**
   * The person adding a passkey: an access token of a public client (`Authorization: Bearer`), or the
   * session cookie of a session that may change the account. Either way the passkey use behind it must
   * be recent, the rule the account page follows (10 minutes).
   */
  async function registrant(c: Context): Promise<Registrant> {
    const now = services.now();
    const header = c.req.header('authorization');
    if (header !== undefined) {
      const token = BEARER.exec(header)?.[1];
      if (token === undefined) throw new PasskeyRestError(400, 'invalid_request', 'The Authorization header must be "Bearer <access token>"');
      let grant;
      try {
        ({ grant } = await verifyAccessToken(services, token, now));
      } catch (error) {
        if (error instanceof OAuthError) throw new PasskeyRestError(401, 'invalid_token', `The access token is not valid: ${error.description}`);
        throw error;
      }
      // Confidential clients' tokens live on app servers, which the trust model does not let change accounts.
      const client = await findOidcClient(db, grant.client_id);
      if (!client?.isPublic) throw new PasskeyRestError(403, 'account_host_only', 'Only an app that holds its own tokens (a public client) may add a passkey with an access token');
      if (!isRecentAuth({ authenticated_at: grant.auth_time }, now)) {
        throw new PasskeyRestError(401, 'reauth_required', 'Confirm it is you: sign in with your passkey again (the last sign-in is older than 10 minutes), then add the new one');
      }
      const user = await findUser(db, grant.user_id);
      if (!user) throw new PasskeyRestError(401, 'invalid_token', 'The account no longer exists');
      return { user, clientId: client.id, mode: { kind: 'token' } };
    }
    const session = await sessionOf(c, services);
    if (!session) throw new PasskeyRestError(401, 'reauth_required', 'Sign in first (a session cookie, or Authorization: Bearer <access token>) to add a passkey');
    if (!isAccountSession(session, services.config.authHost)) throw new PasskeyRestError(403, 'account_host_only', accountHostOnly(session.host, uiUrl(services.config)));
    if (!isRecentAuth(session, now)) throw new PasskeyRestError(401, 'reauth_required', 'Confirm it is you: use your passkey again, then add the new one');
    const user = await findUser(db, session.user_id);
    if (!user) throw new PasskeyRestError(401, 'reauth_required', 'The account no longer exists');
    return { user, clientId: null, mode: { kind: 'cookie', host: session.host } };
  }

  /** Token mode's answer: a grant of the client, its tokens and the user, as `/auth/api/app/token` answers. */
  async function tokensFor(c: Context, challenge: PasskeyChallenge, signedIn: VerifiedSignIn): Promise<AppTokens> {
    const now = services.now();
    const client = await publicClient(challenge.client_id!);
    const person = await appPerson(services, signedIn.user.id, client);
    if (!person?.mayUse) throw new PasskeyRestError(403, 'access_denied', `You do not have the permission ${client.name} requires`);
    const scopes = challenge.scope!.split(' ');
    // No page here to ask for consent: an app that needs it gets it on the hosted page first.
    const consented = client.requireConsent ? await findOidcConsent(db, person.user.id, client.id) : scopes;
    if (!consented || scopes.some((scope) => !consented.includes(scope))) {
      throw new PasskeyRestError(403, 'consent_required', `${client.name} needs your consent: sign in once on its hosted page`);
    }
    const grant = await db.transaction().execute((trx) => startGrant(trx, {
      client, person, sessionId: null, scopes, nonce: null, authenticatedAt: signedIn.authenticatedAt, backupEligible: signedIn.backupEligible, ip: services.clientIp(c),
    }, now));
    const tokens = await issueTokens(services, { client, grant, person, scopes, withNonce: false, now });
    return {
      access_token: tokens.access_token,
      ...(tokens.refresh_token === undefined ? {} : { refresh_token: tokens.refresh_token }),
      expires_in: tokens.expires_in,
      token_type: tokens.token_type,
      user: await appUser(services, person, scopes),
    };
  }

  /** Runs a handler, answering its refusal as `{ error, detail }`. */
  async function answer(c: Context, handle: () => Promise<Response>): Promise<Response> {
    try {
      return await handle();
    } catch (caught) {
      const error = caught instanceof CeremonyError ? fromCeremonyError(caught) : caught;
      if (!(error instanceof PasskeyRestError)) throw error;
      return c.json({ error: error.code, detail: error.detail }, error.status);
    }
  }

  app.post('/authenticate/begin', (c) => answer(c, async () => {
    const { client_id: clientId, scope } = await body(c, AUTHENTICATE_BEGIN);
    const ip = services.clientIp(c);
    limit([addressKey(ip)]);
    if (clientId !== undefined) {
      const client = await publicClient(clientId);
      const asked = scope === undefined ? ['openid', ...client.scopes] : scope.split(' ').filter(Boolean);
      if (!asked.includes('openid')) throw new PasskeyRestError(400, 'invalid_scope', 'scope must include openid');
      const options = await signInOptions(services, null);
      return c.json(await begun(options, { kind: 'authenticate', host: services.hostOf(c), user_id: null, client_id: client.id, scope: grantableScopes(asked, client).join(' ') }));
    }
    // Cookie mode: with a live session on this host it is a re-authentication, as on the WebSocket.
    const session = await sessionOf(c, services);
    if (session) limit([accountKey(session.user_id)]);
    const options = await signInOptions(services, session?.user_id ?? null);
    return c.json(await begun(options, { kind: 'authenticate', host: services.hostOf(c), user_id: session?.user_id ?? null, client_id: null, scope: null }));
  }));

  app.post('/authenticate/complete', (c) => answer(c, async () => {
    const { challengeKey, credential } = await body(c, COMPLETE);
    const challenge = await consume(c, challengeKey, 'authenticate');
    const mode: CeremonyMode = challenge.client_id === null ? { kind: 'cookie', host: challenge.host } : { kind: 'token' };
    const ip = services.clientIp(c);
    const signedIn = await verifySignIn(services, {
      response: credential, expectedChallenge: challenge.challenge, expectedOrigin: originFor(credential, mode),
      reauthUserId: challenge.user_id, target: challenge.client_id ?? challenge.host, ip,
    });
    if (mode.kind === 'token') return c.json(await tokensFor(c, challenge, signedIn));
    const start = {
      user_id: signedIn.user.id, credential_id: signedIn.credentialId, host: challenge.host, ip,
      user_agent: (c.req.header('user-agent') ?? '').slice(0, MAX_USER_AGENT), authenticated_at: signedIn.authenticatedAt,
    };
    const { response, csrfToken } = await startBrowserSession(c, services, signedIn.user, start, await sessionOf(c, services));
    return c.json({ ...response, csrfToken } satisfies PasskeyCookieSignIn);
  }));

  app.post('/register/begin', (c) => answer(c, async () => {
    await body(c, REGISTER_BEGIN);
    const { user, clientId } = await registrant(c);
    limit([addressKey(services.clientIp(c)), accountKey(user.id)]);
    const options = await registrationOptions(services, user);
    return c.json(await begun(options, { kind: 'register', host: services.hostOf(c), user_id: user.id, client_id: clientId, scope: null }));
  }));

  app.post('/register/complete', (c) => answer(c, async () => {
    const { challengeKey, credential } = await body(c, COMPLETE);
    // The same person, asking the same way, as at begin: a leaked key alone adds no passkey.
    const { user, clientId, mode } = await registrant(c);
    const challenge = await consume(c, challengeKey, 'register');
    if (challenge.user_id !== user.id || challenge.client_id !== clientId) throw CHALLENGE_INVALID;
    const credentialId = await verifyRegistration(services, {
      response: credential, expectedChallenge: challenge.challenge, expectedOrigin: originFor(credential, mode),
      account: user, linkToken: null, ip: services.clientIp(c), userAgent: (c.req.header('user-agent') ?? '').slice(0, MAX_USER_AGENT),
    });
    return c.json({ credentialId, user: { id: user.id, displayName: user.display_name } } satisfies PasskeyRegistered, 201);
  }));

  return app;
}
