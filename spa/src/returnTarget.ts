/**
 * Where a page may send the visitor once signed in, given a `?return=` value from its URL.
 * Anyone can write that value into a link, so it may only lead back to this page's own origin:
 * the check resolves it as the browser will, rather than guessing from its first characters
 * (`/<TAB>/evil.example` passes a "starts with one slash" test; the browser drops the tab
 * and goes to `//evil.example`).
 */

/** C0 controls, DEL and C1 controls, and the backslash, which browsers read as `/` in http(s) URLs. */
const REWRITTEN_BY_BROWSERS = /[\u0000-\u001f\u007f-\u009f\\]/;

/**
 * The URL to go to for `raw`, or null when there is none or it could lead elsewhere.
 * @param raw The `return` parameter as read from the query, or null when absent.
 * @param pageOrigin This page's origin (`location.origin`), which the target must share.
 * @example returnTarget('/reports?q=1', 'https://app.example.com') // 'https://app.example.com/reports?q=1'
 * @example returnTarget('/\t/evil.example', 'https://app.example.com') // null
 */
export function returnTarget(raw: string | null, pageOrigin: string): string | null {
  if (!raw) return null;
  // Characters the browser would silently drop or turn into a slash: what we check must be what it follows.
  if (REWRITTEN_BY_BROWSERS.test(raw)) return null;
  // Resolve as the browser will; what it cannot parse leads nowhere.
  let url: URL;
  try {
    url = new URL(raw, pageOrigin);
  } catch {
    return null;
  }
  // A web page, not a script, data or blob URL (`blob:https://app.example.com/…` has our origin).
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  // Same scheme, host and port: `//evil`, `https://evil` and `https://app.example.com@evil` all differ.
  if (url.origin !== pageOrigin) return null;
  // `https://user@app.example.com/` is our origin too, but no page of ours is reached that way.
  if (url.username !== '' || url.password !== '') return null;
  return url.href;
}
