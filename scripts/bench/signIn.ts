/**
 * One passkey sign-in over `WS /auth/ws/authenticate`, as a browser runs it: connect,
 * `start`, sign the options' challenge with the software authenticator, send the
 * response, read the outcome, wait for the server's close. Used by the ceremony load
 * generator and by the check of the ceremony case's first sign-in.
 */
import WebSocket from 'ws';
import { WS_PATHS, type ServerMessage } from '../../shared/ws.js';
import type { SoftAuthenticator } from '../../server/testing/softAuthenticator.js';
import type { StoredPasskey } from './passkeys.js';

/** Where and as whom a sign-in runs. */
export interface SignInTarget {
  port: number;
  /** The page's origin, sent as `Origin` and signed into clientDataJSON. */
  origin: string;
  /** `X-Forwarded-For`: the client's address as the server's trusted proxy names it. */
  address: string;
}

/** What became of a sign-in: `success` (with the server's message), `error <code>`, `http <status>` or `socket <what>`. */
export interface SignInOutcome {
  outcome: string;
  /** From connecting to the server's answer to the response. */
  ms: number;
  success?: Extract<ServerMessage, { type: 'success' }>;
}

/** Signs with `passkey` (advancing its counter); `tweak` forges the answer for the checks that must be refused. */
export function signIn(
  target: SignInTarget,
  authenticator: SoftAuthenticator,
  passkey: StoredPasskey,
  tweak: { userVerified?: boolean; badSignature?: boolean } = {},
): Promise<SignInOutcome> {
  const started = performance.now();
  const ws = new WebSocket(`ws://127.0.0.1:${target.port}${WS_PATHS.authenticate}`, { origin: target.origin, headers: { 'x-forwarded-for': target.address } });
  return new Promise((resolve) => {
    let result: SignInOutcome | undefined;
    const settle = (outcome: string, success?: SignInOutcome['success']) => (result ??= { outcome, ms: performance.now() - started, ...(success ? { success } : {}) });
    ws.on('unexpected-response', (_request, response) => {
      settle(`http ${response.statusCode}`);
      ws.terminate();
    });
    ws.on('error', (error) => settle(`socket ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    ws.on('open', () => ws.send('{"type":"start"}'));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.type === 'options' && message.ceremony === 'authenticate') {
        const response = authenticator.authenticate(message.options, target.origin, { credential: passkey, ...tweak });
        ws.send(JSON.stringify({ type: 'response', response }));
      } else if (message.type === 'success') settle('success', message);
      else if (message.type === 'error') settle(`error ${message.code}`);
      else settle(`unexpected message ${message.type}`);
    });
    // The next sign-in starts once the server has closed this one: its close is part of the cost.
    ws.on('close', (code) => resolve(result ?? { outcome: `socket closed ${code}`, ms: performance.now() - started }));
  });
}
