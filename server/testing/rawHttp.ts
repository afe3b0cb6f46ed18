/**
 * Plain HTTP requests from the test process, for what fetch and browsers will not send: a chosen
 * `Host`, a raw path, forged `Remote-*` headers, a header given twice. Used by the server's
 * integration tests and by e2e. Connects to 127.0.0.1 whatever the host name.
 */
import { request } from 'node:http';

export interface RawRequest {
  method?: string;
  path: string;
  /** The `Host` header (`app.example.localhost:PORT`); `localhost` unless given. */
  host?: string;
  /** More headers, names sent as written: a record, or [name, value] pairs where a name may repeat. */
  headers?: Record<string, string> | [string, string][];
  body?: string;
  /** The client's address, to stand for another client (any 127.0.0.x works on loopback). */
  localAddress?: string;
}

export interface RawResponse {
  status: number;
  /** Lower-case name → value (repeated headers joined by Node's rules). */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Methods that carry no body unless one is given (Node's rule too: no length header then). */
const BODYLESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/** Sends one request to 127.0.0.1:`port` on a fresh connection and reads the whole answer. */
export function rawRequest(port: number, options: RawRequest): Promise<RawResponse> {
  const method = options.method ?? 'GET';
  const pairs = Array.isArray(options.headers) ? options.headers : Object.entries(options.headers ?? {});
  // A flat array goes out as written: names keep their case and order, repeats stay repeated.
  const flat: string[] = ['Host', options.host ?? 'localhost'];
  for (const [name, value] of pairs) flat.push(name, value);
  if (options.body !== undefined || !BODYLESS.has(method)) flat.push('Content-Length', String(Buffer.byteLength(options.body ?? '')));
  return new Promise((resolveResponse, reject) => {
    const req = request({ host: '127.0.0.1', port, localAddress: options.localAddress, method, path: options.path, headers: flat, setHost: false, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${method} ${options.path} in 10 s`)));
    req.end(options.body);
  });
}
