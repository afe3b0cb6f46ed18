import { Hono } from 'hono';
import type { Services } from '../services.js';
import { databaseIsHealthy } from '../db/database.js';
import type { HealthResponse } from '../../shared/api.js';
import { iso } from './responses.js';

/**
 * `GET /auth/api/health`: liveness and database status, for containers and proxies.
 * A forgotten `--trusted-proxy` shows in `untrustedProxy` without failing the check:
 * the service works, only its rate limits and recorded addresses are coarse.
 */
export function healthRoutes(services: Services): Hono {
  return new Hono().get('/health', async (c) => {
    const database = (await databaseIsHealthy(services.database)) ? 'ok' : 'error';
    const sighting = services.untrustedProxies.latest();
    const body: HealthResponse = {
      status: database === 'ok' ? 'ok' : 'degraded',
      version: services.version,
      database,
      untrustedProxy: sighting && { peer: sighting.peer, lastSeen: iso(sighting.lastSeen) },
    };
    return c.json(body, database === 'ok' ? 200 : 503);
  });
}
