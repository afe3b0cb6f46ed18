/**
 * How identity values travel in `Remote-*` headers. Printable ASCII (0x20–0x7E)
 * is sent as it is. Anything else — non-ASCII letters, control characters — is sent
 * as `UTF-8''` followed by the percent-encoded UTF-8 bytes (the RFC 8187 form that
 * `Content-Disposition: filename*=` uses), as is a plain value that happens to start
 * with `UTF-8''`, so that decoding is never ambiguous. Never raw: a raw CR/LF would
 * split headers, and raw UTF-8 is mangled by many proxies.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
export const ENCODED_PREFIX = "UTF-8''";

export function encodeHeaderValue(value: string): string {
  if (PRINTABLE_ASCII.test(value) && !value.startsWith(ENCODED_PREFIX) && value.trim() === value) return value;
  return ENCODED_PREFIX + encodeURIComponent(value).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
