/**
 * What forward auth knows of a session or an access token, in two parts: its {@link Subject}
 * (who it stands for on its host: names, scopes, their headers), which all of a person's cached
 * sessions on one host share (IdentityCache), and its own few values (id, times, the passkey or
 * app it came through). A cached session then holds only what differs from the person's other
 * sessions, not its own copy of every string.
 */

/** Who an identity stands for on one host: a person, or a client acting as itself. */
export interface Subject {
  /** The person's id, or the client's. */
  readonly userId: string;
  readonly displayName: string;
  readonly host: string;
  /** Effective permission scopes on `host`, sorted. */
  readonly scopes: readonly string[];
  /** Its `Remote-*` response headers (and `Cache-Control`) as a flat [name, value, …] list (see identityHeaders.ts). */
  readonly headers: readonly string[];
}

/** The 204 header that names what a session or token came through: a session's passkey, a token's app. */
export type SourceHeader = 'Remote-Credential' | 'Remote-Client';

/** A session's or token's own values. */
export interface IdentityOwnPart {
  sessionId: string;
  expiresAt: number;
  /** When the session was last renewed: `validate` renews it from here. */
  lastSeenAt: number;
  authenticatedAt: number;
  sourceHeader: SourceHeader;
  /** The passkey's id (`Remote-Credential`) or the client id (`Remote-Client`). */
  source: string;
}

/** A session or token: its own values, and its subject's read through (so callers see one object). */
export class Identity {
  readonly subject: Subject;
  readonly sessionId: string;
  readonly expiresAt: number;
  readonly lastSeenAt: number;
  readonly authenticatedAt: number;
  /** `expiresAt` as `Remote-Session-Expires` carries it (ISO 8601), formatted once. */
  readonly expires: string;
  readonly sourceHeader: SourceHeader;
  readonly source: string;

  constructor(subject: Subject, own: IdentityOwnPart) {
    this.subject = subject;
    this.sessionId = own.sessionId;
    this.expiresAt = own.expiresAt;
    this.lastSeenAt = own.lastSeenAt;
    this.authenticatedAt = own.authenticatedAt;
    this.expires = new Date(own.expiresAt).toISOString();
    this.sourceHeader = own.sourceHeader;
    this.source = own.source;
  }

  get userId(): string {
    return this.subject.userId;
  }

  get displayName(): string {
    return this.subject.displayName;
  }

  get host(): string {
    return this.subject.host;
  }

  get scopes(): readonly string[] {
    return this.subject.scopes;
  }
}
