/**
 * The admin page's routes and the hashes that name them (`#/orgs/<id>`, `#/people?q=…`, `#/audit?user=…`):
 * pure, so links can be built anywhere; composables/useHashRoute.ts follows the current one.
 */
export type AdminRoute =
  | { name: 'overview' }
  | { name: 'org'; id: string }
  | { name: 'user'; id: string }
  | { name: 'people'; q: string; page: number }
  | { name: 'permissions' }
  | { name: 'apps' }
  | { name: 'app'; id: string }
  | { name: 'audit'; user: string; org: string; page: number }
  | { name: 'notFound'; path: string };

/** The `page` parameter, 1 for anything not a positive number. */
function pageOf(params: URLSearchParams): number {
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return page > 0 ? page : 1;
}

/** `#/<path>?<params>`, leaving out empty parameters and page 1. */
function withParams(path: string, values: Record<string, string>, page: number): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) params.set(name, value);
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `#/${path}?${search}` : `#/${path}`;
}

/** Reads a hash (`#/audit?user=…`) as a route. */
export function parseRoute(hash: string): AdminRoute {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2);
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(search);
  const [first, second, ...rest] = segments;
  if (first === undefined) return { name: 'overview' };
  if (rest.length === 0 && second !== undefined && first === 'orgs') return { name: 'org', id: second };
  if (rest.length === 0 && second !== undefined && first === 'users') return { name: 'user', id: second };
  if (segments.length === 1 && first === 'permissions') return { name: 'permissions' };
  if (segments.length === 1 && first === 'people') return { name: 'people', q: params.get('q') ?? '', page: pageOf(params) };
  if (segments.length === 1 && first === 'apps') return { name: 'apps' };
  if (rest.length === 0 && second !== undefined && first === 'apps') return { name: 'app', id: second };
  if (segments.length === 1 && first === 'audit') return { name: 'audit', user: params.get('user') ?? '', org: params.get('org') ?? '', page: pageOf(params) };
  return { name: 'notFound', path };
}

/** The hash (`#/orgs/<id>`) that opens a route; use it as a link's `href`. */
export function routeHref(route: AdminRoute): string {
  switch (route.name) {
    case 'overview':
      return '#/';
    case 'org':
      return `#/orgs/${encodeURIComponent(route.id)}`;
    case 'user':
      return `#/users/${encodeURIComponent(route.id)}`;
    case 'permissions':
      return '#/permissions';
    case 'people':
      return withParams('people', { q: route.q }, route.page);
    case 'apps':
      return '#/apps';
    case 'app':
      return `#/apps/${encodeURIComponent(route.id)}`;
    case 'audit':
      return withParams('audit', { user: route.user, org: route.org }, route.page);
    case 'notFound':
      return `#${route.path}`;
  }
}

export const orgHref = (id: string) => routeHref({ name: 'org', id });
export const userHref = (id: string) => routeHref({ name: 'user', id });
export const appHref = (id: string) => routeHref({ name: 'app', id });
export const auditHref = (filter: { user?: string; org?: string } = {}) =>
  routeHref({ name: 'audit', user: filter.user ?? '', org: filter.org ?? '', page: 1 });
