/**
 * The one place that decides what a page shows for a failure: a ceremony's or the API's own
 * message, or a generic sentence for anything unexpected (whose details go to the console).
 */
import { ApiError } from './api';
import { CeremonyError } from './ceremony/CeremonyError';
import { currentPageSetupProblem } from './ceremony/pageSetup';

export const GENERIC_ERROR = 'Something went wrong. Try again.';

/** The message to show for any failure, or null when it ended quietly and needs none. */
export function errorMessage(error: unknown): string | null {
  if (error instanceof CeremonyError) return error.silent ? null : error.message;
  // A page at an address that is not an allowed origin gets 403 for every change it asks for:
  // name the address mistake (pageSetup.ts), not the cross-site refusal it causes.
  if (error instanceof ApiError) return (error.status === 403 && currentPageSetupProblem()) || error.detail;
  console.error(error);
  return GENERIC_ERROR;
}
