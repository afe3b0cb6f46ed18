/**
 * The forward-bearer case's token: an OIDC client allowed `client_credentials` with the
 * permission every forward case asks for, seeded into the small database through the
 * server's own repository functions, and a token fetched from the running server the way a
 * monitor or script would. Forward auth then judges `Authorization: Bearer` instead of a cookie.
 */
import { addOidcClientSecret, insertOidcClient } from '../../server/db/oidcClients.js';
import { openDatabase } from '../../server/db/database.js';
import { CLIENT_LIFETIME_BOUNDS } from '../../shared/oidcClients.js';
import { PERM } from './seed.js';
import type { RunningServer } from './servers.js';
import { HOST } from './tokens.js';
import { Fatal } from './workspace.js';

/** A seeded client's credentials. */
export interface ServiceClient {
  clientId: string;
  secret: string;
}

/** Adds the client to the database at `path` (already seeded: its organisation may grant PERM). Its tokens open HOST. */
export async function seedServiceClient(path: string): Promise<ServiceClient> {
  const database = await openDatabase(path);
  try {
    const org = await database.db.selectFrom('orgs').select('id').executeTakeFirstOrThrow();
    const now = Date.now();
    const client = await insertOidcClient(
      database.db,
      {
        orgId: org.id,
        name: 'Benchmark monitor',
        redirectUris: [`http://${HOST}/callback`],
        tokenEndpointAuthMethod: 'client_secret_post',
        grantTypes: ['client_credentials'],
        servicePermissions: [PERM],
        // The longest a token may live: it must outlast every round.
        accessTokenTtl: CLIENT_LIFETIME_BOUNDS.access_token_ttl.max,
      },
      now,
    );
    const { secret } = await addOidcClientSecret(database.db, client.id, null, now);
    return { clientId: client.id, secret };
  } finally {
    await database.close();
  }
}

/** A client-credentials access token from `server`'s token endpoint. */
export async function fetchServiceToken(server: RunningServer, client: ServiceClient): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${server.port}/auth/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', host: HOST },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret, scope: PERM }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!response.ok || !body.access_token) throw new Fatal(`the token endpoint refused the benchmark's client: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}
