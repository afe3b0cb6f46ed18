/** `Cache-Control: no-store` on every answer it wraps, errors included. */
import type { MiddlewareHandler } from 'hono';

const CACHE_CONTROL = 'Cache-Control';

/**
 * API answers are about one person at one moment (sessions, links, secrets): no browser or proxy
 * cache may keep them. Set once here instead of on each handler's answer.
 * @example app.use('/auth/api/*', noStore())
 */
export const noStore = (): MiddlewareHandler =>
  async function noStoreMiddleware(c, next) {
    // Set before the answer exists, so that every c.json / c.body (onError's too) carries it;
    // setting it afterwards would copy the finished Response on every request.
    c.header(CACHE_CONTROL, 'no-store');
    await next();
  };
