/**
 * The one place that decides what a page shows for a failure: a ceremony's or the API's own
 * message, or a generic sentence for anything unexpected (whose details go to the console).
 */
import { ApiError } from './api';
import { CeremonyError } from './ceremony/CeremonyError';

export const GENERIC_ERROR = 'Something went wrong. Try again.';

/** The message to show for any failure, or null when it ended quietly and needs none. */
export function errorMessage(error: unknown): string | null {
  if (error instanceof CeremonyError) return error.silent ? null : error.message;
  if (error instanceof ApiError) return error.detail;
  console.error(error);
  return GENERIC_ERROR;
}
