/**
 * A page of the OpenID provider (authorization, sign-out) that posts a form whose answer may
 * redirect the browser to an app.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { View } from '../../shared/views.js';
import type { ViewServer } from '../ui/ui.js';

/**
 * Serves `view` with the app's origin (of `redirectUri`, when given) added to `form-action`:
 * browsers check a form's redirects against it too. Referrer-Policy `same-origin`: under the
 * pages' usual `no-referrer`, browsers post the form with `Origin: null`, which the post's
 * cross-site check refuses; same-origin still sends nothing to other sites.
 */
export function oidcPage(serveView: ViewServer, c: Context, view: View, status: ContentfulStatusCode, redirectUri: string | null): Response {
  const page = serveView(c, view, status);
  page.headers.set('Referrer-Policy', 'same-origin');
  if (redirectUri !== null) {
    const csp = page.headers.get('Content-Security-Policy') ?? '';
    page.headers.set('Content-Security-Policy', csp.replace("form-action 'self'", `form-action 'self' ${new URL(redirectUri).origin}`));
  }
  return page;
}
