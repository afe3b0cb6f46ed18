/**
 * The app a reverse proxy protects in the proxy tests: a plain node:http server that shows each
 * request it receives, headers and all, so a test can see exactly what the proxy let through.
 * Browsers (`Accept: text/html`) get the same dump inside a small HTML page.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

/** What the upstream saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  /** Every header as received: lower-case name → each value in order (a repeated header has several). */
  headers: Record<string, string[]>;
}

export interface RunningUpstream {
  port: number;
  /** Every request that reached the upstream, oldest first. */
  seen: SeenRequest[];
  stop(): Promise<void>;
}

/** `data-testid` of the `<pre>` holding the JSON dump in the HTML page. */
export const UPSTREAM_DUMP_TESTID = 'upstream-request';

function describe(req: IncomingMessage): SeenRequest {
  const headers: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    (headers[name] ??= []).push(req.rawHeaders[i + 1]!);
  }
  return { method: req.method ?? '', url: req.url ?? '', headers };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Starts the upstream on a free loopback port. */
export async function startUpstream(): Promise<RunningUpstream> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const request = describe(req);
    seen.push(request);
    const json = JSON.stringify(request, null, 2);
    if (req.headers.accept?.includes('text/html')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Upstream app</title></head>` +
        `<body><h1>Upstream app</h1><pre data-testid="${UPSTREAM_DUMP_TESTID}">${escapeHtml(json)}</pre></body></html>`);
    } else {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(json);
    }
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolveListen);
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('upstream has no port');
  return {
    port: address.port,
    seen,
    stop: () =>
      new Promise((resolveStop) => {
        server.closeAllConnections();
        server.close(() => resolveStop());
      }),
  };
}
