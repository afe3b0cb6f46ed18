import { describe, expect, it } from 'vitest';
import { copyOrder } from './copyOrder.js';

describe('copyOrder', () => {
  it('puts every referenced table before the tables that reference it, the rest by name', () => {
    const tables = new Map<string, string[]>([
      ['sessions', ['users', 'credentials']],
      ['credentials', ['users']],
      ['users', ['orgs', 'roles']],
      ['roles', ['orgs']],
      ['orgs', []],
      ['audit_log', []],
    ]);
    expect(copyOrder(tables)).toEqual(['audit_log', 'orgs', 'roles', 'users', 'credentials', 'sessions']);
  });

  it('lets a table reference itself', () => {
    expect(copyOrder(new Map([['orgs', ['orgs']], ['users', ['orgs']]]))).toEqual(['orgs', 'users']);
  });

  it('refuses a cycle, and a reference to a table that is not there', () => {
    expect(() => copyOrder(new Map([['a', ['b']], ['b', ['a']], ['c', []]]))).toThrow('the foreign keys of a, b form a cycle');
    expect(() => copyOrder(new Map([['users', ['orgs']]]))).toThrow('table users references orgs, which does not exist');
  });
});
