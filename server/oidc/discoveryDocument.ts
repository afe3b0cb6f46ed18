/**
 * The provider's metadata (OpenID Connect Discovery 1.0 §3, RFC 8414): what it supports and
 * where its endpoints are. Built from the issuer alone, once.
 */
import { AUTHORIZE_PATH, END_SESSION_PATH, INTROSPECTION_PATH, JWKS_PATH, REVOCATION_PATH, TOKEN_PATH, USERINFO_PATH, endpointUrl } from './endpoints.js';
import { ACR_VALUES, SIGNING_ALGS } from '../../shared/oidc.js';
import { CLIENT_SCOPES, GRANT_TYPES, TOKEN_ENDPOINT_AUTH_METHODS } from '../../shared/oidcClients.js';

/** The claims an ID token or userinfo may carry (which ones depends on the scopes granted). */
export const CLAIMS_SUPPORTED = [
  'sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'acr', 'amr', 'azp', 'sid',
  'name', 'preferred_username', 'email', 'email_verified', 'groups',
] as const;

/** The discovery document's fields, as the specifications name them. */
export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  revocation_endpoint: string;
  introspection_endpoint: string;
  end_session_endpoint: string;
  jwks_uri: string;
  scopes_supported: readonly string[];
  response_types_supported: readonly string[];
  response_modes_supported: readonly string[];
  grant_types_supported: readonly string[];
  subject_types_supported: readonly string[];
  id_token_signing_alg_values_supported: readonly string[];
  token_endpoint_auth_methods_supported: readonly string[];
  revocation_endpoint_auth_methods_supported: readonly string[];
  introspection_endpoint_auth_methods_supported: readonly string[];
  code_challenge_methods_supported: readonly string[];
  claims_supported: readonly string[];
  claim_types_supported: readonly string[];
  acr_values_supported: readonly string[];
  prompt_values_supported: readonly string[];
  authorization_response_iss_parameter_supported: boolean;
  claims_parameter_supported: boolean;
  request_parameter_supported: boolean;
  request_uri_parameter_supported: boolean;
  backchannel_logout_supported: boolean;
  backchannel_logout_session_supported: boolean;
}

/**
 * The discovery document for `issuer`. Lists only what the provider does: the code flow with
 * PKCE S256 (no implicit or hybrid flows, no `plain`), no request objects.
 * @example discoveryDocument('https://auth.example.com/auth').jwks_uri // 'https://auth.example.com/auth/oidc/jwks'
 */
export function discoveryDocument(issuer: string): ProviderMetadata {
  return {
    issuer,
    authorization_endpoint: endpointUrl(issuer, AUTHORIZE_PATH),
    token_endpoint: endpointUrl(issuer, TOKEN_PATH),
    userinfo_endpoint: endpointUrl(issuer, USERINFO_PATH),
    revocation_endpoint: endpointUrl(issuer, REVOCATION_PATH),
    introspection_endpoint: endpointUrl(issuer, INTROSPECTION_PATH),
    end_session_endpoint: endpointUrl(issuer, END_SESSION_PATH),
    jwks_uri: endpointUrl(issuer, JWKS_PATH),
    scopes_supported: CLIENT_SCOPES,
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'form_post'],
    grant_types_supported: GRANT_TYPES,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: SIGNING_ALGS,
    token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    // Public clients (`none`) may revoke their tokens but not introspect: that needs a secret.
    introspection_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS.filter((method) => method !== 'none'),
    code_challenge_methods_supported: ['S256'],
    claims_supported: CLAIMS_SUPPORTED,
    claim_types_supported: ['normal'],
    acr_values_supported: ACR_VALUES,
    prompt_values_supported: ['none', 'login', 'consent'],
    // RFC 9207: every authorization response carries iss, so a client can tell providers apart.
    authorization_response_iss_parameter_supported: true,
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    // Back-Channel Logout 1.0: every logout token carries sid (no front-channel logout).
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
  };
}
