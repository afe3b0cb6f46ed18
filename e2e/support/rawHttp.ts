/**
 * Plain HTTP requests from the test process, for what a browser will not send: a chosen `Host`,
 * forged `Remote-*` headers, a header given twice. Connects to 127.0.0.1 whatever the host name.
 */
import { request } from 'node:http';

export interface RawRequest {
  method?: string;
  path: string;
  /** The `Host` header (`app.example.localhost:PORT`). */
  host: string;
  /** More headers as [name, value] pairs; a name may repeat. */
  headers?: [string, string][];
  body?: string;
}

export interface RawResponse {
  status: number;
  /** Lower-case name → value (repeated headers joined by Node's rules). */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends one request to 127.0.0.1:`port` and reads the whole answer. */
export function rawRequest(port: number, options: RawRequest): Promise<RawResponse> {
  const flat: string[] = ['Host', options.host];
  for (const [name, value] of options.headers ?? []) flat.push(name, value);
  if (options.body !== undefined) flat.push('Content-Length', String(Buffer.byteLength(options.body)));
  return new Promise((resolveResponse, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: flat, setHost: false, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${options.method ?? 'GET'} ${options.path} in 10 s`)));
    req.end(options.body);
  });
}
