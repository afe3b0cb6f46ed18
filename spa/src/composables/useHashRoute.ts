/**
 * The admin page's routes live in the URL's hash (`#/orgs/<id>`), since the server serves only
 * `/admin/`: back, forward, reload and bookmarks work without a router library.
 */
import { onBeforeUnmount, readonly, ref } from 'vue';
import { parseRoute, routeHref, type AdminRoute } from '../adminRoute';

/**
 * Goes to a route: a new history entry, like following a link, or with `replace` in place of the
 * current one (a search refined letter by letter is one step back, not one per letter).
 */
export function navigate(route: AdminRoute, { replace = false } = {}): void {
  if (replace) location.replace(routeHref(route));
  else location.hash = routeHref(route);
}

/** The current route, following the hash as it changes. */
export function useHashRoute() {
  const route = ref<AdminRoute>(parseRoute(location.hash));
  const update = () => (route.value = parseRoute(location.hash));
  window.addEventListener('hashchange', update);
  onBeforeUnmount(() => window.removeEventListener('hashchange', update));
  return readonly(route);
}
