/**
 * Reading an authorization request (OpenID Connect Core §3.1.2.1), step by step. Until the client
 * and its redirect URI are known to match, nothing may be sent to that URI: such errors are shown
 * to the person. Every later error goes back to the client (RFC 6749 §4.1.2.1). Parameters this
 * provider does not know are ignored, as the specification asks.
 */
import type { OidcClient } from '../db/oidcClients.js';
import type { OAuthErrorCode } from './oauthError.js';
import { isRegisteredRedirectUri } from './redirectUri.js';
import { CODE_CHALLENGE } from './pkce.js';
import { CLIENT_SCOPES } from '../../shared/oidcClients.js';

export type ResponseMode = 'query' | 'form_post';
export type Prompt = 'none' | 'login' | 'consent';

/** Where and how an authorization response goes. */
export interface ResponseTarget {
  redirectUri: string;
  responseMode: ResponseMode;
  state: string | null;
  /**
   * Set when the request came through a hosted app page (server/appflows/): that page's path. Its
   * apps expect only `code` (or `error`) and `state` on their callback, so no `iss` is added.
   */
  hostedPage?: string;
}

/** A valid authorization request. */
export interface AuthorizeRequest extends ResponseTarget {
  client: OidcClient;
  /** Granted scopes: asked for, known here, and allowed for the client; always holds `openid`. */
  scopes: string[];
  nonce: string | null;
  prompts: Prompt[];
  /** Seconds; null = no limit. */
  maxAge: number | null;
  /** S256 challenge, or null (only when the client need not use PKCE). */
  codeChallenge: string | null;
  /** `sub` of the `id_token_hint`: who the client believes is signed in. */
  hintedSub: string | null;
  loginHint: string | null;
  acrValues: string[];
}

export type ParsedAuthorizeRequest =
  | { ok: true; request: AuthorizeRequest }
  /** Shown to the person: no redirect URI can be trusted. */
  | { ok: false; show: string }
  /** Sent back to the client. */
  | { ok: false; target: ResponseTarget; error: OAuthErrorCode; description: string };

const KNOWN_PROMPTS: ReadonlySet<string> = new Set(['none', 'login', 'consent', 'select_account']);
const MAX_AGE = /^(0|[1-9][0-9]{0,9})$/;
/** Longest accepted value of any parameter: long enough for any real state or nonce, short enough to store. */
const MAX_VALUE_LENGTH = 2048;

/** The scopes of `asked` known here and allowed for the client (`openid` always is), without repeats. */
export function grantableScopes(asked: readonly string[], client: Pick<OidcClient, 'scopes'>): string[] {
  return [...new Set(asked)].filter((scope) => (CLIENT_SCOPES as readonly string[]).includes(scope) && (scope === 'openid' || client.scopes.includes(scope)));
}

/**
 * Reads `params` (the query of a GET or the form of a POST).
 * @param client the client `params.client_id` names, or undefined when there is none such
 * @param hintedSub the `sub` of `params.id_token_hint` when it is one of our ID tokens, else null
 */
export function parseAuthorizeRequest(params: Readonly<Record<string, string>>, client: OidcClient | undefined, hintedSub: string | null): ParsedAuthorizeRequest {
  // The client must exist, and the redirect URI must be one of its own, before anything is sent there.
  if (!params.client_id) return { ok: false, show: 'The app did not say who it is (client_id is missing).' };
  if (!client) return { ok: false, show: 'This app is not registered here (unknown client_id).' };
  const redirectUri = params.redirect_uri;
  if (!redirectUri) return { ok: false, show: `${client.name} sent no redirect_uri.` };
  if (!isRegisteredRedirectUri(client.redirectUris, redirectUri)) {
    return { ok: false, show: `${client.name} asked to return to an address it has not registered (redirect_uri mismatch).` };
  }
  if (!client.grantTypes.includes('authorization_code')) return { ok: false, show: `${client.name} may not use the authorization code flow.` };

  // From here on the client hears of errors, in the response mode it asked for when that is valid.
  const state = params.state ?? null;
  const responseMode = params.response_mode ?? 'query';
  const target: ResponseTarget = { redirectUri, responseMode: responseMode === 'form_post' ? 'form_post' : 'query', state };
  const fail = (error: OAuthErrorCode, description: string): ParsedAuthorizeRequest => ({ ok: false, target, error, description });
  if (responseMode !== 'query' && responseMode !== 'form_post') return fail('invalid_request', 'response_mode must be query or form_post');
  for (const [name, value] of Object.entries(params)) {
    if (value.length > MAX_VALUE_LENGTH) return fail('invalid_request', `${name} is longer than ${MAX_VALUE_LENGTH} characters`);
  }
  if (params.request !== undefined || params.request_uri !== undefined) return fail('invalid_request', 'request objects are not supported');

  // Only the authorization code flow.
  if (params.response_type !== 'code') return fail('unsupported_response_type', 'response_type must be code');

  // An OpenID Connect request: openid is required; scopes not known here, or not allowed for the client, are dropped.
  const asked = (params.scope ?? '').split(' ').filter(Boolean);
  if (!asked.includes('openid')) return fail('invalid_scope', 'scope must include openid');
  const scopes = grantableScopes(asked, client);

  // PKCE: S256 only; required for public clients and clients registered to require it.
  const codeChallenge = params.code_challenge ?? null;
  const method = params.code_challenge_method;
  if (codeChallenge === null) {
    if (method !== undefined) return fail('invalid_request', 'code_challenge_method without code_challenge');
    if (client.requirePkce) return fail('invalid_request', 'code_challenge is required (PKCE with S256)');
  } else {
    if (method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256 (plain is not supported)');
    if (!CODE_CHALLENGE.test(codeChallenge)) return fail('invalid_request', 'code_challenge must be 43 base64url characters');
  }

  // prompt: none stands alone; select_account means nothing here (one person per browser session).
  const prompts = (params.prompt ?? '').split(' ').filter(Boolean);
  const unknownPrompt = prompts.find((prompt) => !KNOWN_PROMPTS.has(prompt));
  if (unknownPrompt !== undefined) return fail('invalid_request', `unknown prompt value ${JSON.stringify(unknownPrompt)}`);
  if (prompts.includes('none') && prompts.length > 1) return fail('invalid_request', 'prompt=none cannot be combined with other values');

  let maxAge: number | null = null;
  if (params.max_age !== undefined) {
    if (!MAX_AGE.test(params.max_age)) return fail('invalid_request', 'max_age must be a whole number of seconds');
    maxAge = Number(params.max_age);
  }

  return {
    ok: true,
    request: {
      ...target,
      client,
      scopes,
      nonce: params.nonce ?? null,
      prompts: prompts.filter((prompt): prompt is Prompt => prompt !== 'select_account'),
      maxAge,
      codeChallenge,
      hintedSub,
      loginHint: params.login_hint ?? null,
      acrValues: (params.acr_values ?? '').split(' ').filter(Boolean),
    },
  };
}
