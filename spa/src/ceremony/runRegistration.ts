import { startRegistration } from '@simplewebauthn/browser';
import { browserStep } from './browserStep';
import { protocolError } from './ceremonyErrors';
import { ceremonyUrl, openCeremonySocket } from './ceremonySocket';
import type { CeremonySuccess } from './runAuthentication';

/**
 * Registers a new passkey against the auth host, for the user a reset or device link names
 * (`token`), or for the signed-in user without one. The success carries the exchange code.
 */
export async function runRegistration(token?: string): Promise<CeremonySuccess> {
  const socket = await openCeremonySocket(ceremonyUrl('register'));
  try {
    // Client: start, with the link token (in the frame, not the URL: proxies log URLs)
    socket.send({ type: 'start', ...(token ? { token } : {}) });
    // Server: options for the user the link (or session) names
    const options = await socket.receive('options');
    if (options.ceremony !== 'register') throw protocolError();
    // Browser: the authenticator creates the passkey
    const response = await browserStep(socket, 'register', () => startRegistration({ optionsJSON: options.options }));
    // Server: verifies and stores it, and answers with an exchange code
    socket.send({ type: 'response', response });
    return await socket.receive('success');
  } finally {
    socket.close();
  }
}
