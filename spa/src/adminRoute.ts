/**
 * The admin page's routes and the hashes that name them (`#/orgs/<id>`, `#/audit?user=…`):
 * pure, so links can be built anywhere; composables/useHashRoute.ts follows the current one.
 */
export type AdminRoute =
  | { name: 'overview' }
  | { name: 'org'; id: string }
  | { name: 'user'; id: string }
  | { name: 'permissions' }
  | { name: 'apps' }
  | { name: 'app'; id: string }
  | { name: 'audit'; user: string; org: string; page: number }
  | { name: 'notFound'; path: string };

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
  if (segments.length === 1 && first === 'apps') return { name: 'apps' };
  if (rest.length === 0 && second !== undefined && first === 'apps') return { name: 'app', id: second };
  if (segments.length === 1 && first === 'audit') {
    const page = Number.parseInt(params.get('page') ?? '1', 10);
    return { name: 'audit', user: params.get('user') ?? '', org: params.get('org') ?? '', page: page > 0 ? page : 1 };
  }
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
    case 'apps':
      return '#/apps';
    case 'app':
      return `#/apps/${encodeURIComponent(route.id)}`;
    case 'audit': {
      const params = new URLSearchParams();
      if (route.user) params.set('user', route.user);
      if (route.org) params.set('org', route.org);
      if (route.page > 1) params.set('page', String(route.page));
      const search = params.toString();
      return search ? `#/audit?${search}` : '#/audit';
    }
    case 'notFound':
      return `#${route.path}`;
  }
}

export const orgHref = (id: string) => routeHref({ name: 'org', id });
export const userHref = (id: string) => routeHref({ name: 'user', id });
export const appHref = (id: string) => routeHref({ name: 'app', id });
export const auditHref = (filter: { user?: string; org?: string } = {}) =>
  routeHref({ name: 'audit', user: filter.user ?? '', org: filter.org ?? '', page: 1 });
