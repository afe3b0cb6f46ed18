import { describe, expect, it } from 'vitest';
import { auditHref, orgHref, parseRoute, routeHref, userHref, type AdminRoute } from './adminRoute';

describe('parseRoute', () => {
  it('reads the overview from an empty hash or a bare slash', () => {
    expect(parseRoute('')).toEqual({ name: 'overview' });
    expect(parseRoute('#')).toEqual({ name: 'overview' });
    expect(parseRoute('#/')).toEqual({ name: 'overview' });
  });

  it('reads organisations and users with their decoded id', () => {
    expect(parseRoute('#/orgs/o1')).toEqual({ name: 'org', id: 'o1' });
    expect(parseRoute('#/users/a%2Fb%20c')).toEqual({ name: 'user', id: 'a/b c' });
    expect(parseRoute('#/orgs/o1/')).toEqual({ name: 'org', id: 'o1' });
  });

  it('reads the apps (OIDC clients) and one app by its client_id', () => {
    expect(parseRoute('#/apps')).toEqual({ name: 'apps' });
    expect(parseRoute('#/apps/grafana')).toEqual({ name: 'app', id: 'grafana' });
    expect(parseRoute('#/apps/a.b~c')).toEqual({ name: 'app', id: 'a.b~c' });
    expect(parseRoute('#/apps/grafana/x')).toEqual({ name: 'notFound', path: '/apps/grafana/x' });
  });

  it('reads the audit filter and page, with page 1 for anything not a positive number', () => {
    expect(parseRoute('#/audit')).toEqual({ name: 'audit', user: '', org: '', page: 1 });
    expect(parseRoute('#/audit?user=u1&org=o1&page=3')).toEqual({ name: 'audit', user: 'u1', org: 'o1', page: 3 });
    expect(parseRoute('#/audit?page=0')).toMatchObject({ page: 1 });
    expect(parseRoute('#/audit?page=-2')).toMatchObject({ page: 1 });
    expect(parseRoute('#/audit?page=x')).toMatchObject({ page: 1 });
  });

  it('reads the people search and page', () => {
    expect(parseRoute('#/people')).toEqual({ name: 'people', q: '', page: 1 });
    expect(parseRoute('#/people?q=Zo%C3%AB+%C3%85&page=2')).toEqual({ name: 'people', q: 'Zoë Å', page: 2 });
    expect(parseRoute('#/people?page=x')).toMatchObject({ page: 1 });
    expect(parseRoute('#/people/x')).toEqual({ name: 'notFound', path: '/people/x' });
  });

  it('answers notFound with the path for anything else', () => {
    expect(parseRoute('#/nowhere')).toEqual({ name: 'notFound', path: '/nowhere' });
    expect(parseRoute('#/orgs')).toEqual({ name: 'notFound', path: '/orgs' });
    expect(parseRoute('#/orgs/o1/extra')).toEqual({ name: 'notFound', path: '/orgs/o1/extra' });
    expect(parseRoute('#/permissions/x')).toEqual({ name: 'notFound', path: '/permissions/x' });
    expect(parseRoute('#/audit/x?page=2')).toEqual({ name: 'notFound', path: '/audit/x' });
  });
});

describe('routeHref', () => {
  it('builds the hashes that parseRoute reads back', () => {
    const routes: AdminRoute[] = [
      { name: 'overview' },
      { name: 'org', id: 'o 1/2?#' },
      { name: 'user', id: 'ü' },
      { name: 'permissions' },
      { name: 'apps' },
      { name: 'app', id: 'my.app~1' },
      { name: 'people', q: '', page: 1 },
      { name: 'people', q: 'a&b=c #d', page: 3 },
      { name: 'audit', user: '', org: '', page: 1 },
      { name: 'audit', user: 'u&1', org: 'o=1', page: 4 },
      { name: 'notFound', path: '/nowhere' },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });

  it('leaves empty filters and page 1 out of the audit hash', () => {
    expect(auditHref()).toBe('#/audit');
    expect(auditHref({ user: 'u1' })).toBe('#/audit?user=u1');
    expect(routeHref({ name: 'audit', user: '', org: 'o1', page: 2 })).toBe('#/audit?org=o1&page=2');
    expect(routeHref({ name: 'people', q: '', page: 1 })).toBe('#/people');
  });

  it('encodes ids so they stay one path segment', () => {
    expect(orgHref('a/b')).toBe('#/orgs/a%2Fb');
    expect(userHref('u?x')).toBe('#/users/u%3Fx');
  });
});
