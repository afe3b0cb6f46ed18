/**
 * Sending an authorization response (or error) back to the client: as query parameters on the
 * redirect URI, or as an auto-submitted form (OAuth 2.0 Form Post Response Mode). Every response
 * names the issuer in `iss` (RFC 9207), so a client talking to several providers cannot be fooled
 * into sending a code to the wrong one.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { ResponseTarget } from './authorizeRequest.js';

/** The one script of the form_post page, allowed by its hash and nothing else. */
const SUBMIT_SCRIPT = 'document.forms[0].submit()';
const SUBMIT_SCRIPT_HASH = createHash('sha256').update(SUBMIT_SCRIPT).digest('base64');

function escapeHtml(text: string): string {
  return text.replace(/[&"<>']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * Answers the browser with `params` (plus `state`, and `iss` unless a hosted app page asked) for the client.
 * @param issuer `config.issuer`
 */
export function authorizationResponse(c: Context, target: ResponseTarget, issuer: string, params: Record<string, string>): Response {
  const fields: Record<string, string> = { ...params, ...(target.state === null ? {} : { state: target.state }), ...(target.hostedPage === undefined ? { iss: issuer } : {}) };
  if (target.responseMode === 'form_post') {
    const inputs = Object.entries(fields).map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('');
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Returning to the app…</title></head><body><form method="post" action="${escapeHtml(target.redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form><script>${SUBMIT_SCRIPT}</script></body></html>`;
    return c.body(html, 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': `default-src 'none'; script-src 'sha256-${SUBMIT_SCRIPT_HASH}'; form-action ${new URL(target.redirectUri).origin}; frame-ancestors 'none'; base-uri 'none'`,
      'Referrer-Policy': 'no-referrer',
    });
  }
  const url = new URL(target.redirectUri);
  for (const [name, value] of Object.entries(fields)) url.searchParams.set(name, value);
  // 303 turns the decision's POST into a GET at the client; a GET is redirected with the classic 302.
  return c.body(null, c.req.method === 'POST' ? 303 : 302, { Location: url.href, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
}

/** An error response to the client (RFC 6749 §4.1.2.1). */
export function authorizationError(c: Context, target: ResponseTarget, issuer: string, error: string, description: string): Response {
  return authorizationResponse(c, target, issuer, { error, error_description: description });
}
