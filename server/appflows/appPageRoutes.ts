/**
 * The hosted app pages, `/auth/app/login` and `/auth/app/register`: apps written for hosted-page
 * + PKCE sign-in services send the browser here with `redirect_url`, `code_challenge` and
 * `state`. Each is the OpenID Connect authorization endpoint under another name: the request is
 * read as the authorization request it stands for (appAuthorizeRequest.ts) and answered by the
 * same flow, page, codes and grants; the callback receives `code` (or `error`) and `state`.
 * Passkey Auth has no self-registration (administrators invite people with registration links),
 * so `register` is the sign-in page too; docs/apps.md explains it to app developers.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv, Services } from '../services.js';
import type { ViewServer } from '../ui/ui.js';
import { authorizationAnswer } from '../oidc/authorizationAnswer.js';
import { firstValues } from '../oidc/requestParams.js';

/** @example app.route('/auth/app', appPageRoutes(services, serveView)) */
export function appPageRoutes(services: Services, serveView: ViewServer): Hono<AppEnv> {
  const { flow, answer } = authorizationAnswer(services, serveView);
  const page = async (c: Context<AppEnv>) => answer(c, await flow.readApp(firstValues(new URL(c.req.url).searchParams)));
  const app = new Hono<AppEnv>();
  app.get('/login', page);
  app.get('/register', page);
  return app;
}
