/** One HTTP request to a server under test, on a connection of its own, with the whole body: for the checks. */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface CheckedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function requestOnce(port: number, { method, path, headers }: { method: string; path: string; headers: Readonly<Record<string, string>> }): Promise<CheckedResponse> {
  return new Promise((resolveResponse, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
