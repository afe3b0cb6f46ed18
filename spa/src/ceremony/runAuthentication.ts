import { startAuthentication } from '@simplewebauthn/browser';
import type { ServerMessage } from '../../../shared/ws';
import { browserStep } from './browserStep';
import { protocolError } from './ceremonyErrors';
import { ceremonyUrl, openCeremonySocket } from './ceremonySocket';

export type CeremonySuccess = Extract<ServerMessage, { type: 'success' }>;

/**
 * Signs in with a passkey against the auth host; the success carries the exchange code for
 * `set-session`. With `autofill`, the browser offers passkeys in the username field's
 * suggestions (conditional UI) instead of a prompt.
 */
export async function runAuthentication({ autofill = false } = {}): Promise<CeremonySuccess> {
  const socket = await openCeremonySocket(ceremonyUrl('authenticate'));
  try {
    // Client: start (a sign-in carries nothing else)
    socket.send({ type: 'start' });
    // Server: options (restricted to the signed-in user's passkeys when it asks for reauth)
    const options = await socket.receive('options');
    if (options.ceremony !== 'authenticate') throw protocolError();
    // Browser: the user picks a passkey
    const response = await browserStep(socket, 'authenticate', () =>
      startAuthentication({ optionsJSON: options.options, useBrowserAutofill: autofill }),
    );
    // Server: verifies it and answers with an exchange code
    socket.send({ type: 'response', response });
    return await socket.receive('success');
  } finally {
    socket.close();
  }
}
