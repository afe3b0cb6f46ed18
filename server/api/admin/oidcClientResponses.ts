/** OIDC clients as the repository holds them → the admin API's RFC 7591 shapes (shared/oidcClients.ts). */
import type { GrantType, IssuedClientSecret, OidcClientInfo, OidcClientSecretInfo, OidcClientSettings } from '../../../shared/oidcClients.js';
import type { OidcClient, OidcClientSecretListing } from '../../db/oidcClients.js';
import { iso } from '../responses.js';

/** The settings an administrator controls, under their RFC 7591 names. */
export const settingsOf = (client: OidcClient): OidcClientSettings => ({
  client_name: client.name,
  redirect_uris: client.redirectUris,
  post_logout_redirect_uris: client.postLogoutRedirectUris,
  backchannel_logout_uri: client.backchannelLogoutUri,
  token_endpoint_auth_method: client.tokenEndpointAuthMethod,
  grant_types: client.grantTypes as GrantType[],
  scope: client.scopes.join(' '),
  require_pkce: client.requirePkce,
  require_consent: client.requireConsent,
  required_perm: client.requiredPerm,
  id_token_signed_response_alg: client.idTokenAlg,
  access_token_ttl: client.accessTokenTtl,
  refresh_idle_ttl: client.refreshIdleTtl,
  refresh_absolute_ttl: client.refreshAbsoluteTtl,
  service_permissions: client.servicePermissions,
});

export const secretInfo = (secret: OidcClientSecretListing): OidcClientSecretInfo => ({
  id: secret.id,
  created_at: iso(secret.createdAt),
  expires_at: secret.expiresAt === null ? null : iso(secret.expiresAt),
});

export const oidcClientInfo = (client: OidcClient, org: { id: string; displayName: string }, secrets: OidcClientSecretListing[]): OidcClientInfo => ({
  client_id: client.id,
  org,
  ...settingsOf(client),
  client_secrets: secrets.map(secretInfo),
  created_at: iso(client.createdAt),
  updated_at: iso(client.updatedAt),
});

/** A secret just made, shown this once; RFC 7591 counts its expiry in seconds, 0 for never. */
export const issuedSecret = (issued: { secret: string; listing: OidcClientSecretListing }): IssuedClientSecret => ({
  client_secret: issued.secret,
  client_secret_expires_at: issued.listing.expiresAt === null ? 0 : Math.floor(issued.listing.expiresAt / 1000),
  secret: secretInfo(issued.listing),
});
