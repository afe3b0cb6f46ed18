import { WebAuthnAbortService } from '@simplewebauthn/browser';
import type { CeremonyKind } from '../../../shared/ws';
import { browserError } from './ceremonyErrors';
import type { CeremonySocket } from './ceremonySocket';

/** Counts browser prompts so that only the newest may be cancelled (the abort service holds one). */
let newestPrompt = 0;

/**
 * Runs the browser's part of a ceremony (the passkey prompt) while its socket is open.
 * When the socket fails first, the prompt is cancelled and the socket's error wins, so that
 * nobody answers a prompt that can no longer succeed.
 */
export async function browserStep<T>(socket: CeremonySocket, kind: CeremonyKind, prompt: () => Promise<T>): Promise<T> {
  const thisPrompt = ++newestPrompt;
  let answered = false;
  socket.failed.catch(() => {
    if (!answered && thisPrompt === newestPrompt) WebAuthnAbortService.cancelCeremony();
  });
  try {
    return await Promise.race([prompt().catch((error: unknown) => Promise.reject(browserError(error, kind))), socket.failed]);
  } finally {
    answered = true;
  }
}
