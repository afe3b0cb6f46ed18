/**
 * The API speaks JSON: a state-changing request that sends a body, or names a `Content-Type`,
 * must name `application/json` (415 otherwise). Browsers let any page send a cross-site form or
 * `text/plain` body without asking; a JSON body needs a CORS preflight, which this API never grants.
 * A request without a body and without `Content-Type` (logout, DELETE, set-session) passes.
 */
import type { MiddlewareHandler } from 'hono';
import { isSafeMethod } from './sameOrigin.js';

const JSON_MEDIA_TYPE = 'application/json';

/** True when the request carries a body (announced by length or sent chunked). */
function hasBody(contentLength: string | undefined, transferEncoding: string | undefined): boolean {
  return transferEncoding !== undefined || (contentLength !== undefined && contentLength.trim() !== '0');
}

/** The media type of a `Content-Type` value, lower case, without parameters (`; charset=utf-8`). */
function mediaType(contentType: string): string {
  return contentType.split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * Refuses state-changing requests whose body is not declared JSON with 415 `{ detail }`.
 * @example app.use('/auth/api/*', jsonRequests())
 */
export const jsonRequests = (): MiddlewareHandler =>
  async function jsonRequestsCheck(c, next) {
    if (isSafeMethod(c.req.method)) return next();
    const contentType = c.req.header('content-type');
    const sendsBody = hasBody(c.req.header('content-length'), c.req.header('transfer-encoding'));
    if ((contentType === undefined && sendsBody) || (contentType !== undefined && mediaType(contentType) !== JSON_MEDIA_TYPE)) {
      return c.json({ detail: `Unsupported content type: send the body as ${JSON_MEDIA_TYPE}` }, 415);
    }
    return next();
  };
