import { describe, expect, it } from 'vitest';
import { parseForwardQuery, satisfies, scopeMatcher } from './permQuery.js';

function check(raw: string, scopes: string[]): boolean {
  const parsed = parseForwardQuery(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  return satisfies(parsed.query, scopes);
}

describe('perm groups', () => {
  it('needs every group (AND) and one alternative per group (OR)', () => {
    expect(check('perm=a:read', ['a:read'])).toBe(true);
    expect(check('perm=a:read&perm=b:read', ['a:read'])).toBe(false);
    expect(check('perm=a:read%20b:read', ['a:read', 'b:read'])).toBe(true);
    expect(check('perm=a:read|a:admin', ['a:admin'])).toBe(true);
    expect(check('perm=a:read%7Ca:admin', ['a:admin'])).toBe(true);
    expect(check('perm=a:read|a:admin%20b:x', ['a:admin'])).toBe(false);
    expect(check('', [])).toBe(true);
  });

  it('keeps * within one segment and lets ** cross them', () => {
    expect(scopeMatcher('app:*')('app:read')).toBe(true);
    expect(scopeMatcher('app:*')('app:read:all')).toBe(false);
    expect(scopeMatcher('app:*')('app/x')).toBe(false);
    expect(scopeMatcher('app:**')('app:read:all')).toBe(true);
    expect(scopeMatcher('app/**/edit')('app/docs/a/edit')).toBe(true);
    expect(scopeMatcher('*:read')('b:read')).toBe(true);
    expect(scopeMatcher('a.b')('aXb')).toBe(false);
    expect(scopeMatcher('app:read')('app:readx')).toBe(false);
  });

  it.each([
    ['perm=', 'empty'],
    ['perm=a||b', 'empty alternative'],
    ['perm=|a', 'empty alternative'],
    ['perm=a|', 'empty alternative'],
    ['perm=a%20|%20b', 'empty alternative'],
    ['perm=a%20%20b', 'exactly one space'],
    ['perm=a+b', 'literal +'],
    ['perm=a%2Bb', 'may hold only'],
    ['perm=a***', 'may hold only'],
    ['perm=a%3Cscript%3E', 'may hold only'],
    ['perm=%E0%A4%A', 'percent-encoding'],
    ['perms=a', 'unknown parameter'],
    ['max_age=5', 'unit'],
    ['max_age=0s', 'unit'],
    ['max_age=-1m', 'unit'],
    ['max_age=1w', 'unit'],
    ['max_age=9999d', 'at most'],
    ['max_age=1m&max_age=2m', 'twice'],
  ])('refuses %s (%s) without echoing it', (raw, reason) => {
    const parsed = parseForwardQuery(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toContain(reason);
      expect(parsed.error).not.toContain('script');
    }
  });

  it('reads max_age units', () => {
    const parsed = parseForwardQuery('max_age=90s');
    expect(parsed.ok && parsed.query.maxAgeMs).toBe(90_000);
    const days = parseForwardQuery('max_age=2d&perm=x');
    expect(days.ok && days.query.maxAgeMs).toBe(2 * 86_400_000);
  });
});
