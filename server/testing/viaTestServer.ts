/**
 * A fetch for relying parties under test (openid-client's `customFetch`): every request, whatever
 * host its URL names (`https://auth.example.com/...`), goes to the test server over plain HTTP with
 * that URL's host as `Host`. So tests can use real host names and https issuers on loopback.
 */
import { rawRequest } from './rawHttp.js';

export function viaTestServer(port: number): (url: string, options: { method?: string; headers?: ConstructorParameters<typeof Headers>[0]; body?: unknown }) => Promise<Response> {
  return async (url, options) => {
    const target = new URL(url);
    const headers: Record<string, string> = {};
    new Headers(options.headers).forEach((value, name) => (headers[name] = value));
    const body = options.body === undefined || options.body === null ? undefined : String(options.body);
    const response = await rawRequest(port, { method: options.method ?? 'GET', host: target.host, path: `${target.pathname}${target.search}`, headers, body });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, one);
    }
    const empty = response.status === 204 || response.status === 304 || response.body === '';
    return new Response(empty ? null : response.body, { status: response.status, headers: responseHeaders });
  };
}
