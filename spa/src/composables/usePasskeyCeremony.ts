/**
 * Passkey ceremonies as the pages use them: each runs against the auth host over a WebSocket,
 * then trades the exchange code for a session cookie on this page's own host (`set-session`),
 * which is how an app host gets its cookie after signing in on the auth host.
 */
import { WebAuthnAbortService } from '@simplewebauthn/browser';
import { onBeforeUnmount } from 'vue';
import type { SetSessionResponse } from '../../../shared/api';
import { ApiError, isApiStatus, setSession, validate } from '../api';
import { CeremonyError } from '../ceremony/CeremonyError';
import { cookieRefusedError } from '../ceremony/ceremonyErrors';
import { runAuthentication } from '../ceremony/runAuthentication';
import { runRegistration } from '../ceremony/runRegistration';
import { errorMessage } from '../errorMessage';

export interface AutofillHandlers {
  onSignedIn(session: SetSessionResponse): void;
  onError(message: string): void;
}

export function usePasskeyCeremony() {
  let autofill: AutofillHandlers | null = null;
  /** Bumped to stop the running autofill loop. */
  let autofillRun = 0;

  /**
   * Trades the exchange code for this host's session cookie, and checks the browser kept it:
   * otherwise the page would reload into the sign-in form again without saying why.
   */
  async function startSession(code: string): Promise<SetSessionResponse> {
    const session = await setSession(code);
    try {
      await validate(false);
    } catch (error) {
      throw isApiStatus(error, 401) ? cookieRefusedError() : error;
    }
    return session;
  }

  /** Signs in with a passkey prompt. */
  async function signIn(): Promise<SetSessionResponse> {
    // The prompt aborts the autofill request (the abort service keeps one ceremony at a time).
    pauseAutofill();
    try {
      const success = await runAuthentication();
      return await startSession(success.code);
    } catch (error) {
      resumeAutofill();
      throw error;
    }
  }

  /** Registers a passkey for the user a reset or device link names, and signs in with it. */
  async function register(token: string): Promise<SetSessionResponse> {
    const success = await runRegistration(token);
    return startSession(success.code);
  }

  /**
   * Runs `action`; when the server wants a recent passkey use first (`reauth`), signs in again
   * (the server offers only the signed-in user's passkeys) and retries once.
   */
  async function withReauth<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof ApiError && error.reauth)) throw error;
      await signIn();
      return action();
    }
  }

  /**
   * Offers passkeys in the username field's suggestions until one signs in or the page leaves.
   * Call it once the browser supports autofill and the `autocomplete="username webauthn"` field is in the page.
   */
  function startAutofill(handlers: AutofillHandlers): void {
    autofill = handlers;
    resumeAutofill();
  }

  function pauseAutofill() {
    autofillRun++;
  }

  function resumeAutofill() {
    if (autofill) void autofillLoop(++autofillRun, autofill);
  }

  async function autofillLoop(run: number, handlers: AutofillHandlers) {
    while (run === autofillRun) {
      try {
        const success = await runAuthentication({ autofill: true });
        handlers.onSignedIn(await startSession(success.code));
        return;
      } catch (error) {
        if (run !== autofillRun) return;
        const reason = error instanceof CeremonyError ? error.reason : null;
        // The server ends an unanswered ceremony after a while: quietly offer a fresh one.
        if (reason === 'timeout') continue;
        // Otherwise autofill ends here (the button still works, and resumes it when it fails).
        // A refused or unreachable background request says nothing; the button will, if used.
        const message = reason === 'refused' || reason === 'unreachable' ? null : errorMessage(error);
        if (message) handlers.onError(message);
        return;
      }
    }
  }

  onBeforeUnmount(() => {
    if (!autofill) return;
    autofill = null;
    pauseAutofill();
    WebAuthnAbortService.cancelCeremony();
  });

  return { signIn, register, withReauth, startAutofill };
}
