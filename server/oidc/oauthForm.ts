/**
 * The form body of the provider's back-channel endpoints (token, revocation, introspection):
 * `application/x-www-form-urlencoded`, each parameter once (RFC 6749 §3.2), and the client
 * credentials it carries together with the `Authorization` header.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../services.js';
import type { PresentedCredentials } from './clientAuth.js';
import { OAuthError } from './oauthError.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * The form, each parameter once.
 * @throws {OAuthError} `invalid_request` for another content type or a repeated parameter
 */
export async function readForm(c: Context<AppEnv>): Promise<Record<string, string>> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith(FORM)) throw new OAuthError('invalid_request', `the body must be ${FORM}`);
  const body = await c.req.parseBody({ all: true });
  const form: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') throw new OAuthError('invalid_request', `${name} must be given once, as text`);
    form[name] = value;
  }
  return form;
}

/** What the request offers as client credentials, for `authenticateClient`. */
export function presentedCredentials(c: Context<AppEnv>, form: Record<string, string>): PresentedCredentials {
  return { authorization: c.req.header('authorization'), clientId: form.client_id, clientSecret: form.client_secret };
}
