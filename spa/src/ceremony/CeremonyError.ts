/** A ceremony that ended without a session; `message` is safe to show as it is. */
export class CeremonyError extends Error {
  /** Ended quietly: replaced by another ceremony, or the user's own cancel of a background one. */
  readonly silent: boolean;
  /** The server's own ending (an `error` message or close code), e.g. `timeout`. */
  readonly reason: string | null;

  constructor(message: string, { silent = false, reason = null }: { silent?: boolean; reason?: string | null } = {}) {
    super(message);
    this.name = 'CeremonyError';
    this.silent = silent;
    this.reason = reason;
  }
}
