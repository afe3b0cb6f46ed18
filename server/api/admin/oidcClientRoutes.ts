/**
 * `/auth/api/admin/oidc/clients`: the apps that sign people in through OpenID Connect. RFC 7591
 * client metadata names in and out; a client's secret is returned once (on creation and for each
 * new secret) and stored only as a hash. Org admins see and change their own organisation's
 * clients, master admins all.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Services } from '../../services.js';
import type { Page } from '../../../shared/admin.js';
import type { CreatedOidcClient, IssuedClientSecret, OidcClientInfo } from '../../../shared/oidcClients.js';
import { ApiError } from '../../http/apiError.js';
import { validate } from '../../http/validate.js';
import { PAGE_QUERY } from '../../db/pagination.js';
import { findOrg } from '../../db/orgs.js';
import { listGrantable } from '../../db/permissions.js';
import {
  addOidcClientSecret,
  deleteOidcClient,
  deleteOidcClientSecret,
  findOidcClient,
  insertOidcClient,
  listOidcClients,
  listOidcClientSecrets,
  updateOidcClient,
  type OidcClient,
  type OidcClientChanges,
} from '../../db/oidcClients.js';
import { applyAdminChange, requireOrgAccess, type AdminActor, type AdminEnv } from './adminAccess.js';
import { conflictOnDuplicate } from './adminInput.js';
import { CLIENT_CHANGE, CLIENT_PARAM, NEW_CLIENT, NEW_SECRET, SECRET_PARAMS, settingsConflict } from './oidcClientInput.js';
import { issuedSecret, oidcClientInfo, settingsOf } from './oidcClientResponses.js';

/** A secret just made: the secret itself (shown once) and its listing. */
type NewSecret = Awaited<ReturnType<typeof addOidcClientSecret>>;

const LIST_QUERY = PAGE_QUERY.extend({ org: z.uuid('org must be a UUID').optional() });

/** RFC 7591 settings → the repository's names; only the fields given. */
function changesFrom(settings: z.output<typeof CLIENT_CHANGE>): OidcClientChanges {
  const changes: OidcClientChanges = {
    name: settings.client_name,
    redirectUris: settings.redirect_uris,
    postLogoutRedirectUris: settings.post_logout_redirect_uris,
    backchannelLogoutUri: settings.backchannel_logout_uri,
    tokenEndpointAuthMethod: settings.token_endpoint_auth_method,
    grantTypes: settings.grant_types,
    scopes: settings.scope,
    requirePkce: settings.require_pkce,
    requireConsent: settings.require_consent,
    requiredPerm: settings.required_perm,
    idTokenAlg: settings.id_token_signed_response_alg,
    accessTokenTtl: settings.access_token_ttl,
    refreshIdleTtl: settings.refresh_idle_ttl,
    refreshAbsoluteTtl: settings.refresh_absolute_ttl,
    servicePermissions: settings.service_permissions,
  };
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}

export function oidcClientRoutes(services: Services): Hono<AdminEnv> {
  const { db } = services.database;
  const app = new Hono<AdminEnv>();

  /** The client named in the path, if the actor may see it. */
  async function clientFor(actor: AdminActor, id: string): Promise<OidcClient> {
    const client = await findOidcClient(db, id);
    if (!client) throw new ApiError(404, 'No such client');
    requireOrgAccess(actor, client.orgId, 'client');
    return client;
  }

  /** Service permissions must be ones the organisation may grant, as for its roles. @throws {ApiError} 400 */
  async function requireGrantable(orgId: string, scopes: readonly string[] | undefined): Promise<void> {
    if (!scopes?.length) return;
    const grantable = new Set((await listGrantable(db, orgId)).map((permission) => permission.scope));
    const refused = scopes.find((scope) => !grantable.has(scope));
    if (refused !== undefined) throw new ApiError(400, `Invalid request body: service_permissions: the organisation may not grant ${refused}`);
  }

  /** The client as the API shows it, with its organisation and secrets. */
  async function infoOf(client: OidcClient): Promise<OidcClientInfo> {
    const [org, secrets] = await Promise.all([findOrg(db, client.orgId), listOidcClientSecrets(db, client.id)]);
    return oidcClientInfo(client, { id: client.orgId, displayName: org?.display_name ?? '' }, secrets);
  }

  app.get('/', validate('query', LIST_QUERY), async (c) => {
    const { actor } = c.var;
    const query = c.req.valid('query');
    if (query.org) requireOrgAccess(actor, query.org);
    const onlyOrg = query.org ?? (actor.level === 'master' ? null : actor.org.id);
    const { items, total } = await listOidcClients(db, { page: query.page, perPage: query.per_page }, onlyOrg);
    const body: Page<OidcClientInfo> = { items: await Promise.all(items.map(infoOf)), page: query.page, perPage: query.per_page, total };
    return c.json(body);
  });

  app.post('/', validate('json', NEW_CLIENT), async (c) => {
    const { actor } = c.var;
    const { client_id, org_id, ...settings } = c.req.valid('json');
    const orgId = org_id ?? actor.org.id;
    requireOrgAccess(actor, orgId);
    if (!(await findOrg(db, orgId))) throw new ApiError(404, 'No such organisation');
    await requireGrantable(orgId, settings.service_permissions);
    const changes = changesFrom(settings);
    const isPublic = settings.token_endpoint_auth_method === 'none';
    const { client, issued } = await applyAdminChange<{ client: OidcClient; issued: NewSecret | undefined }>(
      c,
      services,
      ({ client: created }) => ({ op: 'create_oidc_client', orgId, target: created.id, detail: { clientName: created.name } }),
      async (trx) => {
        const now = services.now();
        const created = await insertOidcClient(trx, { ...changes, id: client_id, orgId, name: settings.client_name, redirectUris: settings.redirect_uris, tokenEndpointAuthMethod: settings.token_endpoint_auth_method ?? 'client_secret_basic' }, now);
        // A confidential client gets its first secret at once: it cannot sign anybody in without one.
        return { client: created, issued: isPublic ? undefined : await addOidcClientSecret(trx, created.id, null, now) };
      },
    ).catch(conflictOnDuplicate('A client with this client_id already exists'));
    // Its algorithm's key is published from now on, so the app finds it in the JWKS before its first sign-in.
    await services.signingKeys.ensureKey(client.idTokenAlg);
    const body: CreatedOidcClient = { ...(await infoOf(client)), ...(issued ? issuedSecret(issued) : {}) };
    return c.json(body, 201);
  });

  app.get('/:id', validate('param', CLIENT_PARAM), async (c) => {
    return c.json(await infoOf(await clientFor(c.var.actor, c.req.valid('param').id)));
  });

  app.patch('/:id', validate('param', CLIENT_PARAM), validate('json', CLIENT_CHANGE), async (c) => {
    const client = await clientFor(c.var.actor, c.req.valid('param').id);
    const settings = c.req.valid('json');
    // Checked against the client as it would be, not only the fields sent.
    const conflict = settingsConflict({ ...settingsOf(client), ...settings });
    if (conflict) throw new ApiError(400, `Invalid request body: ${conflict}`);
    await requireGrantable(client.orgId, settings.service_permissions);
    const changes = changesFrom(settings);
    const updated = await applyAdminChange(c, services, { op: 'update_oidc_client', orgId: client.orgId, target: client.id, detail: { clientName: settings.client_name ?? client.name, fields: Object.keys(settings) } }, (trx) =>
      updateOidcClient(trx, client.id, changes, services.now()),
    );
    await services.signingKeys.ensureKey(updated!.idTokenAlg);
    return c.json(await infoOf(updated!));
  });

  app.delete('/:id', validate('param', CLIENT_PARAM), async (c) => {
    const client = await clientFor(c.var.actor, c.req.valid('param').id);
    await applyAdminChange(c, services, { op: 'delete_oidc_client', orgId: client.orgId, target: client.id, detail: { clientName: client.name } }, (trx) => deleteOidcClient(trx, client.id));
    return c.body(null, 204);
  });

  app.post('/:id/secrets', validate('param', CLIENT_PARAM), validate('json', NEW_SECRET), async (c) => {
    const client = await clientFor(c.var.actor, c.req.valid('param').id);
    if (client.isPublic) throw new ApiError(409, 'A public client (token_endpoint_auth_method none) has no secret');
    const { expires_at } = c.req.valid('json');
    const expiresAt = expires_at ? Date.parse(expires_at) : null;
    if (expiresAt !== null && expiresAt <= services.now()) throw new ApiError(400, 'Invalid request body: expires_at must be in the future');
    const issued = await applyAdminChange<NewSecret>(c, services, (created) => ({ op: 'create_oidc_client_secret', orgId: client.orgId, target: client.id, detail: { clientName: client.name, secretId: created.listing.id } }), (trx) =>
      addOidcClientSecret(trx, client.id, expiresAt, services.now()),
    );
    const body: IssuedClientSecret = issuedSecret(issued);
    return c.json(body, 201);
  });

  app.delete('/:id/secrets/:secretId', validate('param', SECRET_PARAMS), async (c) => {
    const { id, secretId } = c.req.valid('param');
    const client = await clientFor(c.var.actor, id);
    if (!(await listOidcClientSecrets(db, client.id)).some((secret) => secret.id === secretId)) throw new ApiError(404, 'No such secret');
    await applyAdminChange(c, services, { op: 'delete_oidc_client_secret', orgId: client.orgId, target: client.id, detail: { clientName: client.name, secretId } }, (trx) =>
      deleteOidcClientSecret(trx, client.id, secretId),
    );
    return c.body(null, 204);
  });

  return app;
}
