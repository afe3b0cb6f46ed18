/**
 * Tells "the database cannot be reached right now" (PostgreSQL restarting, the network cut, the
 * pool out of connections) apart from everything else, so that such requests get a 503 the
 * client may retry, rather than a 500 that reads like a bug.
 */

/** The answer's `detail` while the database is unavailable (the API's JSON and forward auth's). */
export const DATABASE_UNAVAILABLE_DETAIL = 'The database is unavailable; try again shortly';

/** Socket errors of a connection that failed or broke. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/**
 * PostgreSQL's SQLSTATEs for it: class 08 (connection exception), 57P01–57P03 (the server is
 * shutting down, crashed, or not yet accepting connections), 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;
/** node-postgres's own messages when a connection broke or never came (it sets no code on these). */
const DRIVER_MESSAGES = [/^Connection terminated/, /^timeout exceeded when trying to connect/, /is not queryable/, /^Connection ended/];

/** Whether `error` (thrown by a query) means the database is unreachable for now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // Node reports a refused connection to every address of a name as one AggregateError.
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  return DRIVER_MESSAGES.some((message) => message.test(error.message));
}
