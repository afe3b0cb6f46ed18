/**
 * `/auth/api/admin/oidc/keys`: the OpenID provider's signing keys, for master admins only (they
 * sign for every organisation's apps). Public facts only: no key material ever leaves the server.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { validate } from '../../http/validate.js';
import { requireMaster, type AdminEnv } from './adminAccess.js';
import { SIGNING_ALGS, type SigningKeyInfo, type SigningKeyList } from '../../../shared/oidc.js';

const ROTATE = z.object({ alg: z.enum(SIGNING_ALGS, `alg is one of ${SIGNING_ALGS.join(', ')}`) }).strict();

export function oidcKeyRoutes(services: Services): Hono<AdminEnv> {
  return new Hono<AdminEnv>()
    .use(requireMaster())
    .get('/', async (c) => {
      const body: SigningKeyList = { keys: await services.signingKeys.list(), rotationDelayMs: services.signingKeys.rotationDelayMs };
      return c.json(body);
    })
    .post('/rotate', validate('json', ROTATE), async (c) => {
      const { alg } = c.req.valid('json');
      const body: SigningKeyInfo = await services.signingKeys.rotate(alg, { userId: c.var.actor.userId, ip: services.clientIp(c) });
      return c.json(body, 201);
    });
}
