/**
 * Link tokens (five words, `shared/resetToken.ts`) travel as a path segment of the link
 * (`https://auth.example.com/word.word.word.word.word`): a path written to a log line
 * goes through here first, so the words of a working link never reach a log.
 */
import { isResetToken } from '../../shared/resetToken.js';

export const REDACTED_LINK = '[link]';

/**
 * The path (and query, left as is) with every segment that is a link token replaced by `[link]`.
 * @example redactLinkTokens('/auth/abandon.ability.able.about.above') // '/auth/[link]'
 */
export function redactLinkTokens(target: string): string {
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  const redacted = path
    .split('/')
    .map((segment) => (isResetToken(decodeSegment(segment)) ? REDACTED_LINK : segment))
    .join('/');
  return queryAt === -1 ? redacted : redacted + target.slice(queryAt);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
