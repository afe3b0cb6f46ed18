/** An error a route throws to answer with `{ detail }` (and `reauth` when a fresh passkey use would help). */
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly detail: string,
    readonly reauth = false,
  ) {
    super(detail);
  }
}
