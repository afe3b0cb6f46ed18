/**
 * Runs one passkey ceremony over one WebSocket: wait for the client's `start`,
 * send the options, wait for one response, verify it, answer success or error,
 * close. The challenge lives in the ceremony object, so it dies with the socket.
 */
import { z } from 'zod';
import { describeIssue } from '../http/validate.js';
import { CEREMONY_TIMEOUT_MS, CLOSE, type ErrorCode, type ServerMessage, type StartMessage } from '../../shared/ws.js';
import type { CeremonyFailure } from '../metrics/metrics.js';

export type SuccessMessage = Extract<ServerMessage, { type: 'success' }>;
export type OptionsMessage = Extract<ServerMessage, { type: 'options' }>;

/**
 * One ceremony: `start` takes the client's opening frame and makes the options (and remembers
 * the challenge), `finish` verifies the browser's answer.
 */
export interface Ceremony {
  start(message: StartMessage): Promise<OptionsMessage>;
  finish(response: CredentialResponse): Promise<SuccessMessage>;
}

/** A refusal the client is told about: machine code, close code, and a sentence for a person. */
export class CeremonyError extends Error {
  override name = 'CeremonyError';
  constructor(
    readonly code: ErrorCode,
    readonly closeCode: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/**
 * The outer shape of a browser credential (PublicKeyCredential.toJSON()). SimpleWebAuthn
 * verifies the contents; this only makes sure the message is an object of the right form.
 */
export const CREDENTIAL_RESPONSE = z
  .object({
    id: z.string().min(1).max(1400),
    rawId: z.string().min(1).max(1400),
    type: z.literal('public-key'),
    response: z.record(z.string(), z.unknown()),
    clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
    authenticatorAttachment: z.enum(['platform', 'cross-platform']).nullish(),
  })
  .passthrough();

export type CredentialResponse = z.infer<typeof CREDENTIAL_RESPONSE>;

/** Link tokens are five short words; the bound only keeps junk out. */
const START_MESSAGE = z.object({ type: z.literal('start'), token: z.string().min(1).max(200).optional() }).strict();
const RESPONSE_MESSAGE = z.object({ type: z.literal('response'), response: CREDENTIAL_RESPONSE }).strict();

type State = 'opening' | 'starting' | 'awaiting' | 'verifying' | 'done';

/** Told what becomes of the socket (metrics and logs); each ceremony ends exactly once, succeeded or failed. */
export interface CeremonyObserver {
  opened(): void;
  succeeded(): void;
  /** @param unexpected what was thrown when the failure was no {@link CeremonyError} (a bug or an outage), for the log */
  failed(reason: CeremonyFailure, unexpected?: unknown): void;
  closed(): void;
}

/** What a ceremony does with its socket. */
export interface CeremonySocket {
  send(text: string): void;
  /** Sends the last message, then starts the closing handshake with `code` and `reason`. */
  end(text: string, code: number, reason: string): void;
}

/** The socket's events, as the code that owns the socket reports them. */
export interface CeremonyEvents {
  onOpen(socket: CeremonySocket): void;
  /** @param data a text frame's text, or a binary frame's bytes */
  onMessage(data: string | Uint8Array): void;
  onClose(): void;
  /** The socket failed (an oversized frame, a protocol violation); its close follows. */
  onError(): void;
}

/**
 * WebSocket events that drive `makeCeremony()`'s ceremony. Every failure path
 * ends with an `error` message and a close code; nothing thrown escapes.
 */
export function ceremonyEvents(makeCeremony: () => Ceremony, observer: CeremonyObserver, timeoutMs = CEREMONY_TIMEOUT_MS): CeremonyEvents {
  const ceremony = makeCeremony();
  let state: State = 'opening';
  let timer: NodeJS.Timeout | undefined;
  let ws: CeremonySocket;
  /** The client went away before the ceremony ended. */
  const abandon = () => {
    if (state !== 'done') observer.failed('closed');
    state = 'done';
    clearTimeout(timer);
  };

  const send = (message: ServerMessage) => ws.send(JSON.stringify(message));
  const end = (message: ServerMessage, code: number, reason: string) => ws.end(JSON.stringify(message), code, reason);
  const fail = (error: unknown) => {
    if (state === 'done') return;
    state = 'done';
    clearTimeout(timer);
    const refusal =
      error instanceof CeremonyError ? error : new CeremonyError('internal', CLOSE.internal, 'The server could not complete the ceremony; try again');
    observer.failed(refusal.code, error instanceof CeremonyError ? undefined : error);
    end({ type: 'error', code: refusal.code, detail: refusal.detail }, refusal.closeCode, refusal.code);
  };

  return {
    onOpen(socket) {
      ws = socket;
      observer.opened();
      timer = setTimeout(() => fail(new CeremonyError('timeout', CLOSE.timeout, 'The passkey ceremony timed out; start again')), timeoutMs);
    },
    onMessage(data) {
      if (state === 'opening') {
        const start = parseClientMessage(data, START_MESSAGE);
        if (typeof start === 'string') return fail(new CeremonyError('bad_message', CLOSE.badMessage, start));
        state = 'starting';
        ceremony.start(start).then(
          (options) => {
            if (state !== 'starting') return;
            state = 'awaiting';
            send(options);
          },
          (error: unknown) => fail(error),
        );
        return;
      }
      if (state !== 'awaiting') {
        return fail(new CeremonyError('bad_message', CLOSE.badMessage, `Unexpected message: ${state === 'starting' ? 'the options have not been sent yet' : 'this socket is already past its one response'}`));
      }
      const message = parseClientMessage(data, RESPONSE_MESSAGE);
      if (typeof message === 'string') return fail(new CeremonyError('bad_message', CLOSE.badMessage, message));
      state = 'verifying';
      ceremony.finish(message.response).then(
        (success) => {
          if (state !== 'verifying') return;
          state = 'done';
          clearTimeout(timer);
          observer.succeeded();
          end(success, CLOSE.done, 'done');
        },
        (error: unknown) => fail(error),
      );
    },
    onClose() {
      abandon();
      observer.closed();
    },
    onError: abandon,
  };
}

/** Parses a frame into the client message `schema` expects, or says what is wrong with it. */
function parseClientMessage<T>(data: string | Uint8Array, schema: z.ZodType<T>): T | string {
  if (typeof data !== 'string') return 'Expected a JSON text message, got binary data';
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return 'Message is not valid JSON';
  }
  const result = schema.safeParse(value);
  if (!result.success) return `Invalid message: ${describeIssue(result.error)}`;
  return result.data;
}
