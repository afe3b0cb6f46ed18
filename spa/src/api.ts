/**
 * The one client for the Passkey Auth HTTP API. Every call goes to the page's own host, and every
 * failure (an error status or an unreachable server) is thrown as an {@link ApiError}.
 */
import type {
  CreateLinkResponse,
  CredentialInfo,
  DisplayNameRequest,
  EmailRequest,
  ErrorBody,
  LinkInfo,
  PasskeyNameRequest,
  PasskeyNameResponse,
  PersonFieldsResponse,
  SetSessionResponse,
  UserInfoSession,
  UserInfoToken,
  UserRef,
  UsernameRequest,
  ValidateResponse,
} from '../../shared/api';
import type { AuthorizationInfo, AuthorizationInfoRequest } from '../../shared/oidcAuthorize';

const API_ROOT = '/auth/api';
const JSON_HEADERS = { 'Content-Type': 'application/json' } as const;

/** A failed API call: `status` 0 means the server could not be reached. */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: string;
  /** The server wants a recent passkey use before it allows this. */
  readonly reauth: boolean;

  constructor(status: number, detail: string, reauth = false) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.reauth = reauth;
  }
}

/** Whether `error` is an {@link ApiError} with the given status. */
export function isApiStatus(error: unknown, status: number): error is ApiError {
  return error instanceof ApiError && error.status === status;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Sends one API call (`path` below `/auth/api`) and returns its JSON, or undefined for 204.
 * POST unless told otherwise; `body` is sent as JSON.
 * @throws {ApiError} on an error status or when the server cannot be reached.
 */
export async function request<T>(path: string, { method = 'POST', body, headers }: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${API_ROOT}${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? headers : { ...JSON_HEADERS, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.');
  }
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

async function errorFrom(response: Response): Promise<ApiError> {
  // A proxy in front of the service may answer with HTML instead of an ErrorBody.
  const body = (await response.json().catch(() => null)) as Partial<ErrorBody> | null;
  const detail = typeof body?.detail === 'string' ? body.detail : `The server answered with an error (${response.status}). Try again shortly.`;
  return new ApiError(response.status, detail, body?.reauth === true);
}

/** Checks (and by default renews) this host's session; 401 when not signed in. */
export function validate(renew = true): Promise<ValidateResponse> {
  return request(renew ? '/validate' : '/validate?renew=0');
}

/** Trades a ceremony's single-use exchange code for a session cookie on this host. */
export function setSession(code: string): Promise<SetSessionResponse> {
  return request('/set-session', { headers: { Authorization: `Bearer ${code}` } });
}

export function logout(): Promise<void> {
  return request('/logout');
}

/** The signed-in user, with passkeys and sessions; 401 when not signed in. */
export function userInfo(): Promise<UserInfoSession> {
  return request('/user-info', { body: {} });
}

/** What a reset or device link is for; 404 when it is unknown, expired or used. */
export function tokenInfo(token: string): Promise<UserInfoToken> {
  return request('/user-info', { body: { token } });
}

/** A link that registers a passkey on another device; may need reauth. */
export function createLink(): Promise<CreateLinkResponse> {
  return request('/create-link', { body: {} });
}

/** The signed-in person's open device links (auth host only), never their tokens. */
export function listOwnLinks(): Promise<LinkInfo[]> {
  return request('/user/links', { method: 'GET' });
}

/** Revokes one of the person's open device links; 404 when it is already gone. */
export function revokeOwnLink(id: string): Promise<void> {
  return request(`/user/links/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Deletes a passkey; may need reauth, and 409 refuses the last one. */
export function deleteCredential(id: string): Promise<void> {
  return request(`/credential/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Renames one of the signed-in user's passkeys (auth host only); 409 when another of them has the name. */
export async function renameCredential(id: string, name: string): Promise<CredentialInfo> {
  const body: PasskeyNameRequest = { name };
  const answer = await request<PasskeyNameResponse>(`/user/credential/${encodeURIComponent(id)}/name`, { method: 'PUT', body });
  return answer.credential;
}

export function endSession(id: string): Promise<void> {
  return request(`/session/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Disconnects an app the person signed in to: its tokens stop working and its consent is forgotten. */
export function disconnectApp(clientId: string): Promise<void> {
  return request(`/user/apps/${encodeURIComponent(clientId)}`, { method: 'DELETE' });
}

/** Ends every session of the signed-in user, this one included (auth host only). */
export function logoutAll(): Promise<void> {
  return request('/user/logout-all');
}

export async function setDisplayName(displayName: string): Promise<UserRef> {
  const body: DisplayNameRequest = { displayName };
  const answer = await request<{ user: UserRef }>('/user/display-name', { method: 'PUT', body });
  return answer.user;
}

/** Sets (or with null removes) the signed-in person's email; an address they set is unverified. */
export async function setEmail(email: string | null): Promise<PersonFieldsResponse['user']> {
  const body: EmailRequest = { email };
  return (await request<PersonFieldsResponse>('/user/email', { method: 'PUT', body })).user;
}

/** Sets (or with null removes) the signed-in person's username. */
export async function setUsername(username: string | null): Promise<PersonFieldsResponse['user']> {
  const body: UsernameRequest = { username };
  return (await request<PersonFieldsResponse>('/user/username', { method: 'PUT', body })).user;
}

/** What the authorization page shows for the app's request (`query`: the page's query string). */
export function authorizationInfo(body: AuthorizationInfoRequest): Promise<AuthorizationInfo> {
  return request('/oidc/authorization', { body });
}
