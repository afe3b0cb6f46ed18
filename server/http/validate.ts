/**
 * Validation at the edge: a route names a schema for its body, path parameters or query,
 * `@hono/zod-validator` checks the request against it before the handler runs, and the
 * handler reads typed values with `c.req.valid(target)`. Every refusal is a 400 worded here.
 */
import { zValidator } from '@hono/zod-validator';
import type { z } from 'zod';
import { ApiError } from './apiError.js';

/** What can be validated; a JSON body is read only when the request says it is JSON. */
export type InputTarget = 'json' | 'param' | 'query';

/** The first problem of a failed parse, as `path: message` (only the message when it concerns the whole value). */
export function describeIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0]!;
  const where = issue.path.join('.');
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}

/** How each target's refusal reads. */
const REFUSAL: Record<InputTarget, (error: z.core.$ZodError) => string> = {
  json: (error) => `Invalid request body: ${describeIssue(error)}`,
  query: (error) => `Invalid query: ${describeIssue(error)}`,
  // A path parameter's schema carries its whole sentence ("Passkey id must be a UUID").
  param: (error) => error.issues[0]!.message,
};

/**
 * Validates one part of the request against `schema`.
 * @throws {ApiError} 400 naming the first problem.
 * @example app.put('/display-name', validate('json', z.object({ displayName: z.string() })), (c) => c.req.valid('json').displayName)
 */
export const validate = <Target extends InputTarget, Schema extends z.ZodType>(target: Target, schema: Schema) =>
  zValidator(target, schema, (result) => {
    if (!result.success) throw new ApiError(400, REFUSAL[target](result.error));
  });
