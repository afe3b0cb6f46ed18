/**
 * The steps of an authorization that the endpoint, the page's info request and the person's
 * decision share: reading the request, deciding what it still needs, and issuing the code.
 */
import type { Context } from 'hono';
import { decodeJwt } from 'jose';
import type { Services } from '../services.js';
import type { Session } from '../db/schema.js';
import { findOidcClient, findOidcClientsByRedirectUri } from '../db/oidcClients.js';
import { findCredential } from '../db/credentials.js';
import { findOidcConsent, insertOidcCode, saveOidcConsent } from '../db/oidcGrants.js';
import { hashSecret, randomSecret } from '../crypto/tokens.js';
import { parseAuthorizeRequest, type AuthorizeRequest, type ParsedAuthorizeRequest } from './authorizeRequest.js';
import { authenticationContext } from './authenticationContext.js';
import { interactionNeed, type CurrentSignIn, type InteractionNeed } from './interaction.js';
import { appPerson } from './appPerson.js';
import { startGrant } from './signInGrant.js';
import { authorizationError, authorizationResponse } from './authorizationResponse.js';
import { isAppAuthorizeRequest, parseAppAuthorizeRequest } from '../appflows/appAuthorizeRequest.js';

/** Authorization codes live this long: the client redeems them at once. */
export const CODE_LIFETIME_MS = 60_000;

/** The `sub` an `id_token_hint` names. Unverified on purpose: a hint can only make us ask for a sign-in, never skip one. */
function hintedSub(hint: string | undefined): string | null {
  if (!hint) return null;
  try {
    const sub = decodeJwt(hint).sub;
    return typeof sub === 'string' ? sub : null;
  } catch {
    return null;
  }
}

export interface AuthorizationFlow {
  /** An OpenID Connect authorization request. */
  read(params: Readonly<Record<string, string>>): Promise<ParsedAuthorizeRequest>;
  /** A hosted app page's request (server/appflows/), as the authorization request it stands for. */
  readApp(params: Readonly<Record<string, string>>): Promise<ParsedAuthorizeRequest>;
  /** Whichever of the two the authorization page was served for (it sends its own query). */
  readPage(params: Readonly<Record<string, string>>): Promise<ParsedAuthorizeRequest>;
  /** What the request still needs from the person with this session (null: none). */
  need(request: AuthorizeRequest, session: Session | null, options: { consentGiven: boolean; pageSince: number | null }): Promise<{ need: InteractionNeed; signIn: CurrentSignIn | null }>;
  /** Answers the client: a code for the session's person, or `access_denied` when they may not use it. */
  complete(c: Context, request: AuthorizeRequest, session: Session, signIn: CurrentSignIn, consentGiven: boolean): Promise<Response>;
}

export function authorizationFlow(services: Services): AuthorizationFlow {
  const { db } = services.database;
  const { issuer } = services.config;

  async function signInOf(session: Session | null): Promise<CurrentSignIn | null> {
    if (!session) return null;
    const credential = await findCredential(db, session.credential_id);
    if (!credential) return null;
    return { userId: session.user_id, authenticatedAt: session.authenticated_at, acr: authenticationContext(credential.backup_eligible === 1).acr };
  }

  async function read(params: Readonly<Record<string, string>>): Promise<ParsedAuthorizeRequest> {
    const client = params.client_id ? await findOidcClient(db, params.client_id) : undefined;
    return parseAuthorizeRequest(params, client, hintedSub(params.id_token_hint));
  }

  async function readApp(params: Readonly<Record<string, string>>): Promise<ParsedAuthorizeRequest> {
    const clients = params.redirect_url ? await findOidcClientsByRedirectUri(db, params.redirect_url) : [];
    return parseAppAuthorizeRequest(params, clients);
  }

  return {
    read,
    readApp,
    readPage: (params) => (isAppAuthorizeRequest(params) ? readApp(params) : read(params)),

    async need(request, session, options) {
      const signIn = await signInOf(session);
      const consentedScopes = signIn ? await findOidcConsent(db, signIn.userId, request.client.id) : null;
      return { signIn, need: interactionNeed(request, { signIn, consentedScopes, ...options, now: services.now() }) };
    },

    async complete(c, request, session, signIn, consentGiven) {
      const now = services.now();
      const { client } = request;
      const person = await appPerson(services, session.user_id, client);
      if (!person || !person.mayUse) {
        return authorizationError(c, request, issuer, 'access_denied', `You do not have the permission ${client.name} requires.`);
      }
      const credential = await findCredential(db, session.credential_id);
      const code = randomSecret();
      await db.transaction().execute(async (trx) => {
        if (consentGiven && (client.requireConsent || request.prompts.includes('consent'))) await saveOidcConsent(trx, session.user_id, client.id, request.scopes, now);
        const grant = await startGrant(trx, {
          client, person, sessionId: session.id, scopes: request.scopes, nonce: request.nonce,
          authenticatedAt: signIn.authenticatedAt, backupEligible: credential?.backup_eligible === 1, ip: services.clientIp(c),
        }, now);
        await insertOidcCode(trx, { code_hash: hashSecret(code), grant_id: grant.id, redirect_uri: request.redirectUri, code_challenge: request.codeChallenge, expires_at: now + CODE_LIFETIME_MS });
      });
      return authorizationResponse(c, request, issuer, { code });
    },
  };
}
