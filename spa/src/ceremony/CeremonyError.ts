/** A ceremony that ended without a session; `message` is safe to show as it is. */
export class CeremonyError extends Error {
  /** Ended quietly: replaced by another ceremony, or the user's own cancel of a background one. */
  readonly silent: boolean;
  /** Why it ended, where a caller reacts to it: a server error code, `timeout`, `unreachable`, `refused` (by the browser), `setup` (the page's address cannot work)… */
  readonly reason: string | null;

  constructor(message: string, { silent = false, reason = null }: { silent?: boolean; reason?: string | null } = {}) {
    super(message);
    this.name = 'CeremonyError';
    this.silent = silent;
    this.reason = reason;
  }
}
