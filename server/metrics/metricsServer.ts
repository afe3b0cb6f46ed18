/**
 * The metrics listener: `GET /metrics` in Prometheus' text format on its own address
 * (`--metrics-listen`), never on the public one, so that only whoever can reach that
 * address (a loopback or private interface) reads them. Everything else gets 404.
 */
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics } from 'prom-client';
import type { Listen } from '../config.js';
import type { PrometheusMetrics } from './prometheusMetrics.js';
import { closeServer, describeAddress, listenOn } from '../server.js';

export const METRICS_PATH = '/metrics';

export interface MetricsServer {
  /** `http://host:port`, or `unix:/path`. */
  address: string;
  close(): Promise<void>;
}

/**
 * Starts serving `metrics` on `listen`, with Node's process metrics (CPU, memory, event-loop lag, GC) added.
 * @param onError a scrape that failed (a database count, say): answered 500 and reported here
 * @throws when the address cannot be bound
 */
export async function startMetricsServer(listen: Listen, metrics: PrometheusMetrics, onError: (error: unknown) => void): Promise<MetricsServer> {
  collectDefaultMetrics({ register: metrics.registry });
  const server: Server = createServer((req, res) => {
    const path = req.url?.split('?')[0];
    if (path !== METRICS_PATH) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: metrics are at /metrics\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text),
      (error: unknown) => {
        onError(error);
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Collecting the metrics failed\n');
      },
    );
  });
  await listenOn(server, listen);
  return {
    address: describeAddress(server),
    close: () => closeServer(server),
  };
}
