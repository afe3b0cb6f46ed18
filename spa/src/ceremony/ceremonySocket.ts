/**
 * The client end of one ceremony WebSocket (protocol in shared/ws.ts): messages in order,
 * a server `error` or an early close turned into a {@link CeremonyError}.
 */
import { WS_PATHS, type CeremonyKind, type ClientMessage, type ServerMessage } from '../../../shared/ws';
import { authHost } from '../paths';
import { CeremonyError } from './CeremonyError';
import { closeError, protocolError, serverError } from './ceremonyErrors';
import { currentPageSetupProblem } from './pageSetup';

type MessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

export interface CeremonySocket {
  /** The next message, which must be of `type`; rejects when the ceremony failed. */
  receive<T extends ServerMessage['type']>(type: T): Promise<MessageOf<T>>;
  send(message: ClientMessage): void;
  /** Rejects when the ceremony fails before {@link close}; never resolves. */
  readonly failed: Promise<never>;
  close(): void;
}

/** The socket's URL, never with a query string: a link token goes in the `start` frame, as proxies log URLs. */
export function ceremonyUrl(kind: CeremonyKind): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${authHost()}${WS_PATHS[kind]}`;
}

/**
 * Opens the socket; rejects with a friendly error when the server cannot be reached, or at once
 * when this page cannot run ceremonies at all (wrong address, plain http: see pageSetup.ts),
 * which the browser would report as an unreachable server.
 */
export function openCeremonySocket(url: string): Promise<CeremonySocket> {
  const setupProblem = currentPageSetupProblem();
  if (setupProblem) return Promise.reject(new CeremonyError(setupProblem, { reason: 'setup' }));
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const inbox: ServerMessage[] = [];
    let waiting: { resolve: (message: ServerMessage) => void; reject: (error: CeremonyError) => void } | null = null;
    let failure: CeremonyError | null = null;
    let opened = false;
    let rejectFailed: (error: CeremonyError) => void = () => {};
    const failed = new Promise<never>((_, reject) => (rejectFailed = reject));
    failed.catch(() => {}); // Observed through receive() and send() as well; not every caller awaits it.

    function fail(error: CeremonyError) {
      if (failure) return;
      failure = error;
      waiting?.reject(error);
      waiting = null;
      rejectFailed(error);
      ws.close();
    }

    function nextMessage(): Promise<ServerMessage> {
      const queued = inbox.shift();
      if (queued) return Promise.resolve(queued);
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => (waiting = { resolve, reject }));
    }

    ws.onopen = () => {
      opened = true;
      resolve(socket);
    };
    ws.onmessage = (event: MessageEvent) => {
      const message = parseMessage(event.data);
      if (!message) return fail(protocolError());
      if (message.type === 'error') return fail(serverError(message.detail, message.code));
      if (waiting) {
        waiting.resolve(message);
        waiting = null;
      } else {
        inbox.push(message);
      }
    };
    // An error event is always followed by a close event, which says the rest.
    ws.onclose = (event: CloseEvent) => {
      const error = closeError(event.code, opened);
      if (!opened) reject(error);
      fail(error);
    };

    const socket: CeremonySocket = {
      async receive(type) {
        const message = await nextMessage();
        if (message.type !== type) {
          fail(protocolError());
          throw failure;
        }
        return message as MessageOf<typeof type>;
      },
      send(message) {
        if (failure) throw failure;
        ws.send(JSON.stringify(message));
      },
      failed,
      close() {
        // Closing on purpose is not a failure: silence the handlers first.
        ws.onmessage = null;
        ws.onclose = null;
        ws.close();
      },
    };
  });
}

function parseMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const message: unknown = JSON.parse(data);
    return typeof message === 'object' && message !== null && 'type' in message ? (message as ServerMessage) : null;
  } catch {
    return null;
  }
}
