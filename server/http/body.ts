/** Edge validation of JSON bodies: parse once with a schema, then trust the types. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './apiError.js';

/** Bodies here are tiny; anything larger is refused before parsing. */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * Reads and validates a JSON body (an empty body counts as `{}`).
 * @throws {ApiError} 400 naming the first problem, 413 when too large.
 */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const text = await c.req.text();
  if (text.length > MAX_BODY_BYTES) throw new ApiError(413, `Request body too large (limit ${MAX_BODY_BYTES} bytes)`);
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'Request body is not valid JSON');
    }
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new ApiError(400, `Invalid request body: ${where}${issue.message}`);
  }
  return result.data;
}
