import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { databaseIsHealthy } from '../db/database.js';
import type { HealthResponse } from '../../shared/api.js';

/** `GET /auth/api/health`: liveness and database status, for containers and proxies. */
export function healthRoutes(deps: AppDeps): Hono {
  return new Hono().get('/health', (c) => {
    const database = databaseIsHealthy(deps.database.sqlite) ? 'ok' : 'error';
    const body: HealthResponse = { status: database === 'ok' ? 'ok' : 'degraded', version: deps.version, database };
    return c.json(body, database === 'ok' ? 200 : 503, { 'Cache-Control': 'no-store' });
  });
}
