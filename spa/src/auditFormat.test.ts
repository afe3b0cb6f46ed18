import { describe, expect, it } from 'vitest';
import type { AuditEntryInfo } from '../../shared/admin';
import { describeAuditEntry, targetsRole, type KnownNames, type SentencePart } from './auditFormat';
import { isolate } from './format';

const entry = (fields: Partial<AuditEntryInfo>): AuditEntryInfo => ({
  id: 1,
  at: '2026-06-15T12:00:00Z',
  action: 'sign_in',
  actor: { id: 'u1', displayName: 'Ada' },
  orgId: null,
  target: null,
  ip: null,
  detail: {},
  ...fields,
});

const names = (known: Partial<Record<keyof KnownNames, Record<string, string>>> = {}): KnownNames => ({
  users: new Map(Object.entries(known.users ?? {})),
  orgs: new Map(Object.entries(known.orgs ?? {})),
  roles: new Map(Object.entries(known.roles ?? {})),
});

/** The sentence as a person reads it, names marked [like this] to show which words are names. */
const read = (sentence: SentencePart[]) => sentence.map((part) => (typeof part === 'string' ? part : `[${part.name}]`)).join('');
const say = (fields: Partial<AuditEntryInfo>, known: KnownNames = names()) => read(describeAuditEntry(entry(fields), known).sentence);
const admin = (op: string, fields: Partial<AuditEntryInfo> = {}) => ({ ...fields, action: 'admin_change', detail: { op, ...fields.detail } });

const LONG_ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

describe('describeAuditEntry', () => {
  it('writes sign-ins, failures and sign-outs with the host, never the session id', () => {
    expect(say({ action: 'sign_in', target: 'app.example.com', detail: { sessionId: LONG_ID } })).toBe('[Ada] signed in to [app.example.com]');
    expect(say({ action: 'sign_in_failed', target: 'app.example.com', detail: { reason: 'the signature does not match the passkey' } })).toBe(
      '[Ada] could not sign in to [app.example.com]: the signature does not match the passkey',
    );
    expect(say({ action: 'signed_out', target: 'app.example.com' })).toBe('[Ada] signed out of [app.example.com]');
    expect(say({ action: 'session_ended', target: LONG_ID, detail: { host: 'app.example.com' } })).toBe('[Ada] ended their session on [app.example.com]');
    expect(say({ action: 'session_ended', target: LONG_ID })).toBe('[Ada] ended one of their sessions');
    expect(say({ action: 'sessions_ended_all' })).toBe('[Ada] signed out everywhere');
  });

  it("writes a person's own changes with the new value", () => {
    expect(say({ action: 'display_name_changed', detail: { displayName: 'Ada L.' } })).toBe('[Ada] changed their name to [Ada L.]');
    expect(say({ action: 'email_changed', detail: { email: 'ada@example.com' } })).toBe('[Ada] changed their email to [ada@example.com]');
    expect(say({ action: 'passkey_added', detail: { via: 'link' } })).toBe('[Ada] added a passkey with a link');
    expect(say({ action: 'passkey_added', detail: { via: 'session' } })).toBe('[Ada] added a passkey');
    expect(say({ action: 'passkey_renamed', detail: { name: 'Work laptop' } })).toBe('[Ada] renamed one of their passkeys to [Work laptop]');
    expect(say({ action: 'link_revoked', detail: { kind: 'device' } })).toBe('[Ada] revoked their link to add a device');
  });

  it('names the algorithm of a rotated OIDC signing key', () => {
    expect(say({ action: 'oidc_key_rotated', detail: { alg: 'ES256', kid: 'x', signsFrom: 1 } })).toBe('[Ada] rotated the [ES256] signing key for apps (OpenID Connect)');
  });

  it('says who disconnected an app: the person themselves, or an admin for them', () => {
    const detail = { client: 'Reports', clientId: 'reports', displayName: 'Bob' };
    expect(say({ action: 'oidc_app_disconnected', target: 'u1', detail: { ...detail, displayName: 'Ada' } })).toBe('[Ada] disconnected the app [Reports]');
    expect(say({ action: 'oidc_app_disconnected', target: 'u2', detail }, names({ users: { u2: 'Bob B.' } }))).toBe('[Ada] disconnected [Bob B.] from the app [Reports]');
    expect(say({ action: 'oidc_app_disconnected', target: 'u2', detail })).toBe('[Ada] disconnected [Bob] from the app [Reports]');
  });

  it('links the actor and people and organisations the page knows', () => {
    const described = describeAuditEntry(entry(admin('create_user', { orgId: 'o1', target: 'u2', detail: { displayName: 'Bob' } })), names({ users: { u2: 'Bob' }, orgs: { o1: 'Sales' } }));
    expect(described.code).toBe('admin_change / create_user');
    expect(described.sentence).toEqual([
      { name: 'Ada', href: '#/users/u1', title: null },
      ' added ',
      { name: 'Bob', href: '#/users/u2', title: null },
      ' in ',
      { name: 'Sales', href: '#/orgs/o1', title: null },
    ]);
  });

  it('names what a creation created, from the names recorded when the page does not know it (any more)', () => {
    expect(say(admin('create_org', { orgId: 'o9', target: 'o9', detail: { displayName: 'Sales', orgName: 'Sales' } }))).toBe('[Ada] created organisation [Sales]');
    expect(say(admin('create_role', { orgId: 'o9', target: 'r9', detail: { displayName: 'Editor', orgName: 'Sales' } }))).toBe('[Ada] created role [Editor] in [Sales]');
    expect(say(admin('create_permission', { target: 'p9', detail: { scope: 'app:read' } }))).toBe('[Ada] created permission [app:read]');
    expect(say(admin('create_user', { orgId: 'o9', target: 'u9', detail: { displayName: 'Bob', orgName: 'Sales' } }))).toBe('[Ada] added [Bob] in [Sales]');
  });

  it('names the organisation and role of grants, preferring current names', () => {
    const entryOf = admin('add_role_permission', { orgId: 'o1', target: 'r1', detail: { scope: 'app:read', roleName: 'Editor', orgName: 'Sales' } });
    expect(say(entryOf)).toBe('[Ada] gave role [Editor] in [Sales] the permission [app:read]');
    expect(say(entryOf, names({ orgs: { o1: 'Sales EU' }, roles: { r1: 'Writer' } }))).toBe('[Ada] gave role [Writer] in [Sales EU] the permission [app:read]');
    expect(say(admin('remove_role_permission', { orgId: 'o1', target: 'r1', detail: { scope: 'app:read', roleName: 'Editor', orgName: 'Sales' } }))).toBe(
      '[Ada] took the permission [app:read] from role [Editor] in [Sales]',
    );
    expect(say(admin('grant_to_org', { orgId: 'o1', target: 'p1', detail: { scope: 'app:read', orgName: 'Sales' } }))).toBe('[Ada] allowed [Sales] to grant [app:read]');
    expect(say(admin('revoke_from_org', { orgId: 'o1', target: 'p1', detail: { scope: 'app:read', orgName: 'Sales' } }))).toBe('[Ada] no longer allows [Sales] to grant [app:read]');
  });

  it('says what a rename was and what an admin changed about a user', () => {
    expect(say(admin('rename_org', { orgId: 'o1', target: 'o1', detail: { displayName: 'Sales EU', previousName: 'Sales', orgName: 'Sales EU' } }))).toBe(
      '[Ada] renamed organisation [Sales] to [Sales EU]',
    );
    expect(say(admin('rename_role', { orgId: 'o1', target: 'r1', detail: { displayName: 'Writer', previousName: 'Editor', orgName: 'Sales' } }))).toBe(
      '[Ada] renamed role [Editor] to [Writer] in [Sales]',
    );
    expect(say(admin('update_user', { target: 'u2', detail: { displayName: 'Bob B.', roleId: 'r1', roleName: 'Editor' } }), names({ users: { u2: 'Bob B.' } }))).toBe(
      '[Ada] changed [Bob B.]: name to [Bob B.], role to [Editor]',
    );
  });

  it('reads entries written before names were recorded, without inventing names', () => {
    expect(say(admin('add_role_permission', { orgId: LONG_ID, target: 'r1', detail: { scope: 'app:read' } }))).toBe(
      '[Ada] gave role [r1] in [organisation 0190a1b2…] the permission [app:read]',
    );
    expect(say(admin('delete_passkey', { target: LONG_ID, detail: { credentialId: LONG_ID } }))).toBe('[Ada] deleted a passkey of [a deleted user]');
    expect(say(admin('create_org', { detail: { displayName: 'Sales' } }))).toBe('[Ada] created organisation [Sales]');
  });

  it('names the app (OIDC client) each change concerns, as it was called then, and its organisation', () => {
    const app = (op: string) => say(admin(op, { orgId: 'o1', target: 'grafana', detail: { clientName: 'Grafana', orgName: 'Sales' } }));
    expect(app('create_oidc_client')).toBe('[Ada] registered app [Grafana] in [Sales]');
    expect(app('update_oidc_client')).toBe('[Ada] changed app [Grafana] in [Sales]');
    expect(app('delete_oidc_client')).toBe('[Ada] deleted app [Grafana] in [Sales]');
    expect(app('create_oidc_client_secret')).toBe('[Ada] added a secret to app [Grafana] in [Sales]');
    expect(app('delete_oidc_client_secret')).toBe('[Ada] deleted a secret of app [Grafana] in [Sales]');
  });

  it('names a deleted actor as such', () => {
    expect(say({ action: 'signed_out', actor: null, target: 'app.example.com' })).toBe('A deleted user signed out of [app.example.com]');
  });

  it('falls back to the code and a short, isolated summary for entries this version does not know', () => {
    expect(describeAuditEntry(entry({ action: 'new_thing', detail: { roleId: LONG_ID, admin: true } }), names()).sentence).toEqual([
      { name: 'Ada', href: '#/users/u1', title: null },
      ': new thing',
      ` (roleId: ${isolate('0190a1b2…')}, admin: ${isolate('true')})`,
    ]);
    expect(describeAuditEntry(entry(admin('merge_orgs')), names())).toMatchObject({ code: 'admin_change / merge_orgs', sentence: [expect.anything(), ': admin change / merge orgs'] });
    const long = describeAuditEntry(entry({ action: 'new_thing', detail: { note: 'x'.repeat(200) } }), names()).sentence[2] as string;
    expect(long).toHaveLength(' ()'.length + 90);
  });
});

describe('targetsRole', () => {
  it('is true only for admin changes whose target is a role', () => {
    expect(targetsRole(entry({ action: 'admin_change', detail: { op: 'create_role' } }))).toBe(true);
    expect(targetsRole(entry({ action: 'admin_change', detail: { op: 'remove_role_permission' } }))).toBe(true);
    expect(targetsRole(entry({ action: 'admin_change', detail: { op: 'rename_org' } }))).toBe(false);
    expect(targetsRole(entry({ action: 'admin_change', detail: { op: 'unknown_op' } }))).toBe(false);
    expect(targetsRole(entry({ action: 'admin_change', detail: {} }))).toBe(false);
    expect(targetsRole(entry({ action: 'rename_role' }))).toBe(false);
  });
});
