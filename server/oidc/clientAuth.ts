/**
 * Client authentication at the token endpoint (RFC 6749 §2.3, OpenID Connect Core §9):
 * `client_secret_basic`, `client_secret_post`, or `none` for public clients. A client must use
 * the method it registered; using two at once is refused.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { findOidcClient, verifyOidcClientSecret, type OidcClient } from '../db/oidcClients.js';
import { OAuthError } from './oauthError.js';

const BASIC = /^Basic ([A-Za-z0-9+/]+=*)$/i;

/** What the request offers as credentials. */
export interface PresentedCredentials {
  /** The `Authorization` header. */
  authorization: string | undefined;
  /** `client_id` and `client_secret` of the form. */
  clientId: string | undefined;
  clientSecret: string | undefined;
}

/** RFC 6749 §2.3.1: the Basic user and password are form-urlencoded before base64. */
function formDecode(text: string): string {
  return decodeURIComponent(text.replaceAll('+', ' '));
}

function parseBasic(header: string): { clientId: string; clientSecret: string } | null {
  const match = BASIC.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return null;
  try {
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

/**
 * The client the request authenticates as.
 * @throws {OAuthError} `invalid_client` (401; with `WWW-Authenticate: Basic` when Basic was tried) or `invalid_request`
 */
export async function authenticateClient(db: Kysely<Database>, presented: PresentedCredentials, now: number): Promise<OidcClient> {
  const usedBasic = presented.authorization !== undefined && /^basic /i.test(presented.authorization);
  const refuse = (description: string) =>
    new OAuthError('invalid_client', description, 401, usedBasic ? { 'WWW-Authenticate': 'Basic realm="passkey-auth", charset="UTF-8"' } : {});

  if (usedBasic) {
    const basic = parseBasic(presented.authorization!);
    if (!basic) throw refuse('malformed Basic credentials');
    if (presented.clientSecret !== undefined) throw new OAuthError('invalid_request', 'client credentials given both in the Authorization header and in the form');
    if (presented.clientId !== undefined && presented.clientId !== basic.clientId) throw new OAuthError('invalid_request', 'client_id in the form differs from the Authorization header');
    const client = await findOidcClient(db, basic.clientId);
    if (!client || client.tokenEndpointAuthMethod !== 'client_secret_basic' || !(await verifyOidcClientSecret(db, client.id, basic.clientSecret, now))) {
      throw refuse(client && client.tokenEndpointAuthMethod !== 'client_secret_basic' ? `client must authenticate with ${client.tokenEndpointAuthMethod}` : 'unknown client or wrong secret');
    }
    return client;
  }

  if (presented.clientId === undefined) throw refuse('no client authentication (client_id is missing)');
  const client = await findOidcClient(db, presented.clientId);
  if (!client) throw refuse('unknown client or wrong secret');
  if (presented.clientSecret !== undefined) {
    if (client.tokenEndpointAuthMethod !== 'client_secret_post' || !(await verifyOidcClientSecret(db, client.id, presented.clientSecret, now))) {
      throw refuse(client.tokenEndpointAuthMethod !== 'client_secret_post' ? `client must authenticate with ${client.tokenEndpointAuthMethod}` : 'unknown client or wrong secret');
    }
    return client;
  }
  if (!client.isPublic) throw refuse(`client must authenticate with ${client.tokenEndpointAuthMethod}`);
  return client;
}
