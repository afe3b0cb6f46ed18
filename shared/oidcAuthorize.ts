/**
 * The authorization page (view `authorize`) and the server: what the page asks, what it is told,
 * and where it sends the person's decision. The page is served at the authorization endpoint's
 * own URL, so it reads the request from `location.search`.
 */

/** Why the person must use a passkey before the app gets its answer. */
export type SignInReason =
  /** Not signed in on this host. */
  | 'noSession'
  /** The app asked for a fresh sign-in (`prompt=login`). */
  | 'login'
  /** The last passkey use is older than the app accepts (`max_age`). */
  | 'maxAge'
  /** The app expects someone else (`id_token_hint`). */
  | 'otherUser'
  /** The app asks for a passkey that never leaves its device, and this sign-in used a synced one. */
  | 'deviceBound';

/** `POST /auth/api/oidc/authorization` body. */
export interface AuthorizationInfoRequest {
  /** The authorization request: the page's query string, without `?`. */
  query: string;
  /** The `interaction` of an earlier answer for the same page, so a sign-in made since counts as fresh. */
  interaction?: string;
}

/** `POST /auth/api/oidc/authorization` answer. */
export interface AuthorizationInfo {
  /** The app's name as its administrator registered it. */
  clientName: string;
  /** The claims the app will receive (beyond `sub`), e.g. `name`, `email`, `groups`. */
  claims: string[];
  /** Whether the app will be able to refresh its tokens while the person is away (`offline_access`). */
  offlineAccess: boolean;
  /** Who is signed in on this host, if anyone. */
  signedIn: { displayName: string } | null;
  /** What the page does next: sign in with a passkey, ask for consent, or send the decision at once. */
  next: 'signIn' | 'consent' | 'continue';
  /** Set when `next` is `signIn`. */
  signInReason: SignInReason | null;
  /** The app's `login_hint`, to show whom it expects. */
  loginHint: string | null;
  /** Opaque; send it back with the decision (and with a later info request) so the server knows when this page began. */
  interaction: string;
}

/** Where the page posts the person's decision as an HTML form (a navigation: the answer goes to the app). */
export const AUTHORIZE_DECISION_PATH = '/auth/oidc/authorize/decision';

/** The form fields of the decision. */
export interface AuthorizeDecisionForm {
  query: string;
  interaction: string;
  decision: 'allow' | 'deny';
}
