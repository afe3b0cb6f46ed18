/** Where the auth host and the UI's pages are, as seen from this page. */
import { PAGE_META, type ForwardMode } from '../../shared/pageMeta';
import { returnTarget } from './returnTarget';

const AUTH_HOST_META = `meta[name="${PAGE_META.authHost}"]`;

/** host[:port] of the auth host: named by a meta tag in dedicated mode, else this page's host. */
export function authHost(): string {
  return document.querySelector<HTMLMetaElement>(AUTH_HOST_META)?.content || location.host;
}

/** Whether the server runs with a dedicated auth host (it then names it in every page). */
function hasDedicatedAuthHost(): boolean {
  return document.querySelector(AUTH_HOST_META) !== null;
}

/**
 * The main page: `/` on a dedicated auth host, `/auth/` otherwise (without a dedicated auth
 * host, `/admin/` and `/<token>` are not served, so `/` cannot be the root even when it shows the page).
 */
export function uiRoot(): string {
  return location.pathname.startsWith('/auth/') || !hasDedicatedAuthHost() ? '/auth/' : '/';
}

export function adminPath(): string {
  return `${uiRoot()}admin/`;
}

/** The reset or device token: the last segment of this page's path. */
export function tokenFromPath(): string {
  return location.pathname.split('/').filter(Boolean).pop() ?? '';
}

/**
 * Where to go once signed in: `?return=` when it leads to this page's own origin (see
 * {@link returnTarget}), else null. Ignored where forward auth served this page in place of a
 * protected one: that query belongs to the app's page, which is the one to go back to.
 */
export function safeReturnTarget(): string | null {
  if (forwardMode() !== null) return null;
  return returnTarget(new URLSearchParams(location.search).get('return'), location.origin);
}

/**
 * Set when forward auth served this page in place of a protected one (its URL is the protected
 * page's): `login` (not signed in here), `reauth` (sign-in too old) or `forbidden`.
 */
export function forwardMode(): ForwardMode | null {
  const mode = document.querySelector<HTMLMetaElement>(`meta[name="${PAGE_META.forwardMode}"]`)?.content;
  return mode === 'login' || mode === 'reauth' || mode === 'forbidden' ? mode : null;
}
