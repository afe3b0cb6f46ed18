/**
 * Audit entries as a person reads them: "Gave role permission" rather than
 * `admin_change` / `add_role_permission`, names instead of ids where the page knows them,
 * and the rest of the detail in one short line.
 */
import type { AuditEntryView } from '../../shared/admin';
import type { AdminOp, AuditAction } from '../../shared/audit';
import { orgHref, userHref } from './adminRoute';
import { isolate } from './format';

/** Longest detail summary; the whole detail stays in the cell's tooltip. */
const SUMMARY_MAX = 90;
/** Characters of an id shown when no name is known for it. */
const SHORT_ID = 8;

/** What each admin change (`detail.op` of an `admin_change` entry) did, and what its target is. */
const ADMIN_OPS: Record<AdminOp, Label> = {
  create_org: { label: 'Created organisation', target: 'org' },
  rename_org: { label: 'Renamed organisation', target: 'org' },
  delete_org: { label: 'Deleted organisation', target: 'org' },
  grant_to_org: { label: 'Allowed to grant', target: 'permission' },
  revoke_from_org: { label: 'Revoked from organisation', target: 'permission' },
  create_role: { label: 'Created role', target: 'role' },
  rename_role: { label: 'Renamed role', target: 'role' },
  delete_role: { label: 'Deleted role', target: 'role' },
  add_role_permission: { label: 'Gave role a permission', target: 'role' },
  remove_role_permission: { label: 'Took a permission from role', target: 'role' },
  create_permission: { label: 'Created permission', target: 'permission' },
  update_permission: { label: 'Changed permission', target: 'permission' },
  delete_permission: { label: 'Deleted permission', target: 'permission' },
  create_user: { label: 'Created user', target: 'user' },
  update_user: { label: 'Changed user', target: 'user' },
  delete_user: { label: 'Deleted user', target: 'user' },
  delete_passkey: { label: "Deleted a user's passkey", target: 'user' },
  end_session: { label: "Ended a user's session", target: 'user' },
  end_all_sessions: { label: "Ended a user's sessions", target: 'user' },
  create_link: { label: 'Created registration link', target: 'user' },
  revoke_link: { label: "Revoked a user's link", target: 'user' },
};

/** Everything else the server logs (sign-ins, a user's own changes). */
const ACTIONS: Record<Exclude<AuditAction, 'admin_change'>, Label> = {
  sign_in: { label: 'Signed in', target: 'host' },
  sign_in_failed: { label: 'Sign-in failed', target: 'host' },
  passkey_added: { label: 'Added a passkey', target: 'passkey' },
  passkey_removed: { label: 'Removed a passkey', target: 'passkey' },
  passkey_renamed: { label: 'Renamed a passkey', target: 'passkey' },
  session_ended: { label: 'Ended a session', target: 'session' },
  sessions_ended_all: { label: 'Signed out everywhere', target: 'user' },
  display_name_changed: { label: 'Changed their name', target: 'user' },
  email_changed: { label: 'Changed their email', target: 'user' },
  username_changed: { label: 'Changed their username', target: 'user' },
  link_created: { label: 'Created a device link', target: 'user' },
  link_revoked: { label: 'Revoked a device link', target: 'user' },
};

type TargetKind = 'org' | 'permission' | 'role' | 'user' | 'host' | 'passkey' | 'session' | 'unknown';
interface Label {
  label: string;
  target: TargetKind;
}

/** A table's entry for a code from the server; undefined for a code this version does not know. */
function labelFor<Code extends string>(table: Record<Code, Label>, code: string): Label | undefined {
  return Object.hasOwn(table, code) ? table[code as Code] : undefined;
}

/** Names the page has loaded, by id. */
export interface KnownNames {
  users: Map<string, string>;
  orgs: Map<string, string>;
  permissions: Map<string, string>;
  roles: Map<string, string>;
}

export interface AuditTarget {
  text: string;
  /** Where the target's own page is (`#/users/<id>`), when it has one. */
  href: string | null;
  /** The full id, when `text` shortened it. */
  title: string | null;
}

export interface DescribedAuditEntry {
  action: string;
  /** The raw action (`admin_change / add_role_permission`), for the tooltip. */
  code: string;
  target: AuditTarget | null;
  summary: string;
}

const humanise = (code: string) => code.replace(/_/g, ' ').replace(/^./, (first) => first.toUpperCase());
const shortId = (id: string) => (id.length > SHORT_ID + 1 ? `${id.slice(0, SHORT_ID)}…` : id);

function describeTarget(target: string | null, kind: TargetKind, names: KnownNames): AuditTarget | null {
  if (target === null) return null;
  if (kind === 'user' && names.users.has(target)) return { text: names.users.get(target)!, href: userHref(target), title: null };
  if (kind === 'org' && names.orgs.has(target)) return { text: names.orgs.get(target)!, href: orgHref(target), title: null };
  if (kind === 'permission' && names.permissions.has(target)) return { text: names.permissions.get(target)!, href: null, title: null };
  if (kind === 'role' && names.roles.has(target)) return { text: names.roles.get(target)!, href: null, title: null };
  if (kind === 'host') return { text: target, href: null, title: null };
  const prefix = kind === 'unknown' ? '' : `${kind} `;
  return { text: `${prefix}${shortId(target)}`, href: null, title: target };
}

/**
 * "scope: app:read, displayName: Editor": every detail field but the op, ids shortened, each
 * value isolated (a name may hold a right-to-left override that would reverse the rest).
 */
function summarise(detail: Record<string, unknown>): string {
  const text = Object.entries(detail)
    .filter(([key]) => key !== 'op')
    .map(([key, value]) => {
      const shown = typeof value === 'string' ? (/Id$/.test(key) ? shortId(value) : value) : JSON.stringify(value);
      return `${key}: ${isolate(shown)}`;
    })
    .join(', ');
  return text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1)}…` : text;
}

/** The admin change an `admin_change` entry records (`detail.op`), or null for any other entry. */
const adminOp = (entry: AuditEntryView): string | null =>
  entry.action === 'admin_change' && typeof entry.detail.op === 'string' ? entry.detail.op : null;

/** Whether the entry's target is a role (whose name the page can look up in its organisation). */
export function targetsRole(entry: AuditEntryView): boolean {
  const op = adminOp(entry);
  return op !== null && labelFor(ADMIN_OPS, op)?.target === 'role';
}

export function describeAuditEntry(entry: AuditEntryView, names: KnownNames): DescribedAuditEntry {
  const op = adminOp(entry);
  const known = op !== null ? labelFor(ADMIN_OPS, op) : labelFor(ACTIONS, entry.action);
  const code = op !== null ? `${entry.action} / ${op}` : entry.action;
  return {
    action: known?.label ?? humanise(op ?? entry.action),
    code,
    target: describeTarget(entry.target, known?.target ?? (names.users.has(entry.target ?? '') ? 'user' : 'unknown'), names),
    summary: summarise(entry.detail),
  };
}
