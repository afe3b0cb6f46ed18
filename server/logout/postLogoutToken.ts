/**
 * Delivering a logout token to an app's `backchannel_logout_uri` (Back-Channel Logout 1.0 §2.5): a
 * form POST `logout_token=…`, answered 200 (any 2xx counts) when the app logged the session out.
 * Bounded by a timeout; redirects are not followed (the registered URI is the only address the
 * token may go to), so a 3xx is a failure like any other.
 */

/** How long an app has to answer. */
export const DELIVERY_TIMEOUT_MS = 5000;

/** The outcome: delivered, or why not (for the audit log and the retry). */
export type DeliveryResult = { ok: true } | { ok: false; error: string };

/** Posts `logoutToken` to `uri`. Never throws. */
export async function postLogoutToken(uri: string, logoutToken: string, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<DeliveryResult> {
  try {
    const response = await fetch(uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'cache-control': 'no-store' },
      body: new URLSearchParams({ logout_token: logoutToken }).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.status >= 200 && response.status < 300 ? { ok: true } : { ok: false, error: `answered HTTP ${response.status}` };
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : ((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
    return { ok: false, error: reason };
  }
}
