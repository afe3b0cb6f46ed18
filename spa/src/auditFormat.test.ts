import { describe, expect, it } from 'vitest';
import type { AuditEntryView } from '../../shared/admin';
import { describeAuditEntry, targetsRole, type KnownNames } from './auditFormat';
import { isolate } from './format';

const entry = (fields: Partial<AuditEntryView>): AuditEntryView => ({
  id: 1,
  at: '2026-06-15T12:00:00Z',
  action: 'sign_in',
  actor: null,
  orgId: null,
  target: null,
  ip: null,
  detail: {},
  ...fields,
});

const names = (known: Partial<Record<keyof KnownNames, Record<string, string>>> = {}): KnownNames => ({
  users: new Map(Object.entries(known.users ?? {})),
  orgs: new Map(Object.entries(known.orgs ?? {})),
  permissions: new Map(Object.entries(known.permissions ?? {})),
  roles: new Map(Object.entries(known.roles ?? {})),
});

const LONG_ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

describe('describeAuditEntry', () => {
  it('labels an admin change by its op, with both codes for the tooltip', () => {
    const described = describeAuditEntry(entry({ action: 'admin_change', target: 'o1', detail: { op: 'rename_org', displayName: 'Ops' } }), names({ orgs: { o1: 'Operations' } }));
    expect(described).toEqual({
      action: 'Renamed organisation',
      code: 'admin_change / rename_org',
      target: { text: 'Operations', href: '#/orgs/o1', title: null },
      summary: `displayName: ${isolate('Ops')}`,
    });
  });

  it('labels other actions by themselves and links known users', () => {
    const described = describeAuditEntry(entry({ action: 'display_name_changed', target: 'u1' }), names({ users: { u1: 'Ada' } }));
    expect(described.action).toBe('Changed their name');
    expect(described.code).toBe('display_name_changed');
    expect(described.target).toEqual({ text: 'Ada', href: '#/users/u1', title: null });
  });

  it('names roles and permissions it knows, without a link', () => {
    const role = describeAuditEntry(entry({ action: 'admin_change', target: 'r1', detail: { op: 'add_role_permission' } }), names({ roles: { r1: 'Editor' } }));
    expect(role.target).toEqual({ text: 'Editor', href: null, title: null });
    const permission = describeAuditEntry(entry({ action: 'admin_change', target: 'p1', detail: { op: 'delete_permission' } }), names({ permissions: { p1: 'app:read' } }));
    expect(permission.target).toEqual({ text: 'app:read', href: null, title: null });
  });

  it('shows a host target as it is', () => {
    expect(describeAuditEntry(entry({ action: 'sign_in', target: 'app.example.com' }), names()).target).toEqual({
      text: 'app.example.com',
      href: null,
      title: null,
    });
  });

  it('shortens unknown ids behind their kind, with the whole id in the title', () => {
    const described = describeAuditEntry(entry({ action: 'admin_change', target: LONG_ID, detail: { op: 'delete_user' } }), names());
    expect(described.target).toEqual({ text: 'user 0190a1b2…', href: null, title: LONG_ID });
    expect(describeAuditEntry(entry({ action: 'passkey_removed', target: 'short' }), names()).target).toEqual({ text: 'passkey short', href: null, title: 'short' });
  });

  it('treats the target of an unknown action as a user when it is one, else shows the bare id', () => {
    expect(describeAuditEntry(entry({ action: 'new_thing', target: 'u1' }), names({ users: { u1: 'Ada' } })).target).toMatchObject({ text: 'Ada' });
    expect(describeAuditEntry(entry({ action: 'new_thing', target: LONG_ID }), names()).target).toEqual({ text: '0190a1b2…', href: null, title: LONG_ID });
  });

  it('humanises actions and ops it has no label for', () => {
    expect(describeAuditEntry(entry({ action: 'new_thing' }), names()).action).toBe('New thing');
    expect(describeAuditEntry(entry({ action: 'admin_change', detail: { op: 'merge_orgs' } }), names())).toMatchObject({
      action: 'Merge orgs',
      code: 'admin_change / merge_orgs',
    });
  });

  it('has no target when the entry has none', () => {
    expect(describeAuditEntry(entry({ action: 'sign_in_failed' }), names()).target).toBeNull();
  });

  it('summarises the detail without the op, ids shortened, other values as JSON, each isolated, cut at 90 characters', () => {
    const described = describeAuditEntry(
      entry({ action: 'admin_change', detail: { op: 'update_user', roleId: LONG_ID, admin: true, scopes: ['a', 'b'] } }),
      names(),
    );
    expect(described.summary).toBe(`roleId: ${isolate('0190a1b2…')}, admin: ${isolate('true')}, scopes: ${isolate('["a","b"]')}`);
    const long = describeAuditEntry(entry({ action: 'sign_in', detail: { note: 'x'.repeat(200) } }), names()).summary;
    expect(long).toHaveLength(90);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('targetsRole', () => {
  it('is true only for admin changes whose target is a role', () => {
    expect(targetsRole(entry({ action: 'admin_change', detail: { op: 'rename_role' } }))).toBe(true);
    expect(targetsRole(entry({ action: 'admin_change', detail: { op: 'remove_role_permission' } }))).toBe(true);
    expect(targetsRole(entry({ action: 'admin_change', detail: { op: 'rename_org' } }))).toBe(false);
    expect(targetsRole(entry({ action: 'admin_change', detail: { op: 'unknown_op' } }))).toBe(false);
    expect(targetsRole(entry({ action: 'admin_change', detail: {} }))).toBe(false);
    expect(targetsRole(entry({ action: 'rename_role' }))).toBe(false);
  });
});
