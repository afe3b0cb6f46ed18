/** The cookies an answer sets, as a client with a cookie jar would keep and send them back. */
import type { RawResponse } from './rawHttp.js';

/** Name → value of every `Set-Cookie` of `response` (a deletion keeps its empty value). */
export function cookiesSet(response: RawResponse): Record<string, string> {
  const lines = response.headers['set-cookie'] ?? [];
  const pairs = (Array.isArray(lines) ? lines : [lines]).map((line) => line.slice(0, line.indexOf(';')));
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

/** A `Cookie` header carrying these cookies. */
export function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies).map(([name, value]) => `${name}=${value}`).join('; ');
}
