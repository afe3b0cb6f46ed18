/**
 * The one size limit on request bodies, for every route: the API takes small JSON
 * documents, so anything larger is refused with 413 before it is read into memory.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** The largest request body accepted (the biggest legitimate one, an admin change, is well under 1 KiB). */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Refuses a body over {@link MAX_BODY_BYTES} with 413 `{ detail }`: at once when `Content-Length`
 * says so, or as soon as a streamed (chunked) body passes the limit. What the client still sends
 * is drained and dropped by the Node adaptor, never buffered.
 * @example app.use(requestBodyLimit())
 */
export const requestBodyLimit = (): MiddlewareHandler => {
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json({ detail: `Request body too large (limit ${MAX_BODY_BYTES} bytes)` }, 413),
  });
  return async function requestBodyLimitMiddleware(c, next) {
    // Most requests have no body or announce a small one: decide from the headers alone, since
    // looking at the body (what hono/body-limit does first) builds the Web request and its stream.
    const length = c.req.header('content-length');
    if (c.req.header('transfer-encoding') === undefined && (length === undefined || Number(length) <= MAX_BODY_BYTES)) return next();
    return limit(c, next);
  };
};
