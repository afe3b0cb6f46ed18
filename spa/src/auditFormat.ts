/**
 * Audit entries as a person reads them: one sentence each ("Ada gave role Editor in Sales the
 * permission app:read"), naming people and organisations with links to their pages. Names the
 * page has loaded now come first (they link); otherwise the names the entry recorded at the time
 * of the change (the thing may since be renamed or deleted); an id only as a last resort.
 */
import type { AuditEntryInfo } from '../../shared/admin';
import type { AdminOp, AuditAction } from '../../shared/audit';
import { orgHref, userHref } from './adminRoute';
import { isolate } from './format';

/** Longest summary of an entry this version has no sentence for; the whole detail stays in the tooltip. */
const SUMMARY_MAX = 90;
/** Characters of an id shown when no name is known for it. */
const SHORT_ID = 8;

/**
 * A piece of a sentence: fixed wording, or a name (text a person typed, shown isolated so a
 * right-to-left override cannot reverse the sentence), linked when it has a page.
 */
export type SentencePart = string | { name: string; href: string | null; title: string | null };

/** Names the page has loaded, by id. */
export interface KnownNames {
  users: Map<string, string>;
  orgs: Map<string, string>;
  roles: Map<string, string>;
}

export interface DescribedAuditEntry {
  sentence: SentencePart[];
  /** The raw action (`admin_change / add_role_permission`), for the tooltip. */
  code: string;
}

/** What an entry says about itself, with the names it recorded and the page's names at hand. */
interface EntryReading {
  actor: SentencePart;
  /** A user by id: "Ada" (linked), or the name recorded, or "a deleted user". */
  user: (id: string | null, recorded?: string) => SentencePart;
  /** The entry's organisation: linked if it still exists, else the name recorded at the time. */
  org: SentencePart;
  /** The entry's target as a role. */
  role: SentencePart;
  /** A string field of the entry's detail, as a name; `fallback` when absent. */
  field: (key: string, fallback?: string) => SentencePart;
  /** A string field of the entry's detail, as text, or undefined. */
  text: (key: string) => string | undefined;
  target: string | null;
  /** The actor acted on themselves (the target is their own user id). */
  actorIsTarget: boolean;
}

type Sentence = (entry: EntryReading) => SentencePart[];

const shortId = (id: string) => (id.length > SHORT_ID + 1 ? `${id.slice(0, SHORT_ID)}…` : id);
const name = (text: string, href: string | null = null, title: string | null = null): SentencePart => ({ name: text, href, title });
const some = (what: string, id: string | null): SentencePart => (id === null ? what : name(`${what} ${shortId(id)}`, null, id));
/** " in Sales" when the entry names its organisation; nothing for entries older than that. */
const inOrg = (entry: EntryReading): SentencePart[] => (entry.org === '' ? [] : [' in ', entry.org]);

/** The user fields an admin changed, in words: "name to Ada, role to Editor". */
function userChanges(entry: EntryReading): SentencePart[] {
  const parts: SentencePart[][] = [];
  if (entry.text('displayName') !== undefined) parts.push(['name to ', entry.field('displayName')]);
  if (entry.text('roleId') !== undefined) parts.push(['role to ', entry.field('roleName', 'another role')]);
  if (entry.text('username') !== undefined) parts.push(['username to ', entry.field('username')]);
  if (entry.text('email') !== undefined) parts.push(['email to ', entry.field('email')]);
  return parts.length === 0 ? [] : [': ', ...parts.flatMap((part, index) => (index === 0 ? part : [', ', ...part]))];
}

/** What each admin change (`detail.op` of an `admin_change` entry) says. */
const ADMIN_SENTENCES: Record<AdminOp, Sentence> = {
  create_org: (e) => [e.actor, ' created organisation ', e.org],
  set_default_role: (e) => [e.actor, ' made role ', e.role, ' the default for new users', ...inOrg(e)],
  rename_org: (e) => [e.actor, ' renamed organisation ', e.field('previousName', 'an organisation'), ' to ', e.org],
  delete_org: (e) => [e.actor, ' deleted organisation ', e.field('displayName')],
  grant_to_org: (e) => [e.actor, ' allowed ', e.org, ' to grant ', e.field('scope')],
  revoke_from_org: (e) => [e.actor, ' no longer allows ', e.org, ' to grant ', e.field('scope')],
  create_role: (e) => [e.actor, ' created role ', e.role, ...inOrg(e)],
  rename_role: (e) => [e.actor, ' renamed role ', e.field('previousName', 'a role'), ' to ', e.field('displayName'), ...inOrg(e)],
  delete_role: (e) => [e.actor, ' deleted role ', e.field('displayName'), ...inOrg(e)],
  add_role_permission: (e) => [e.actor, ' gave role ', e.role, ...inOrg(e), ' the permission ', e.field('scope')],
  remove_role_permission: (e) => [e.actor, ' took the permission ', e.field('scope'), ' from role ', e.role, ...inOrg(e)],
  create_permission: (e) => [e.actor, ' created permission ', e.field('scope')],
  update_permission: (e) => [e.actor, ' changed permission ', e.field('previousScope', 'a permission')],
  delete_permission: (e) => [e.actor, ' deleted permission ', e.field('scope')],
  create_user: (e) => [e.actor, ' added ', e.user(e.target, e.text('displayName')), ...inOrg(e)],
  update_user: (e) => [e.actor, ' changed ', e.user(e.target), ...userChanges(e)],
  delete_user: (e) => [e.actor, ' deleted ', e.field('displayName', 'a user'), ...inOrg(e)],
  delete_passkey: (e) => [e.actor, ' deleted a passkey of ', e.user(e.target)],
  end_session: (e) => [e.actor, ' ended a session of ', e.user(e.target)],
  end_all_sessions: (e) => [e.actor, ' signed ', e.user(e.target), ' out everywhere'],
  create_link: (e) => [e.actor, ' created a registration link for ', e.user(e.target)],
  revoke_link: (e) => [e.actor, ' revoked a link of ', e.user(e.target)],
  create_oidc_client: (e) => [e.actor, ' registered app ', e.field('clientName', 'an app'), ...inOrg(e)],
  update_oidc_client: (e) => [e.actor, ' changed app ', e.field('clientName', 'an app'), ...inOrg(e)],
  delete_oidc_client: (e) => [e.actor, ' deleted app ', e.field('clientName', 'an app'), ...inOrg(e)],
  create_oidc_client_secret: (e) => [e.actor, ' added a secret to app ', e.field('clientName', 'an app'), ...inOrg(e)],
  delete_oidc_client_secret: (e) => [e.actor, ' deleted a secret of app ', e.field('clientName', 'an app'), ...inOrg(e)],
  create_api_key: (e) => [e.actor, ' created the API key ', e.field('keyName', 'a key'), ...inOrg(e)],
  revoke_api_key: (e) => [e.actor, ' revoked the API key ', e.field('keyName', 'a key'), ...inOrg(e)],
};

/** What everything else the server logs (sign-ins, a person's own changes) says. */
const SENTENCES: Record<Exclude<AuditAction, 'admin_change'>, Sentence> = {
  sign_in: (e) => [e.actor, ' signed in to ', e.field('host')],
  sign_in_failed: (e) => [e.actor, ' could not sign in to ', e.field('host'), ': ', e.text('reason') ?? 'the passkey was refused'],
  signed_out: (e) => [e.actor, ' signed out of ', e.field('host')],
  passkey_added: (e) => [e.actor, e.text('via') === 'link' ? ' added a passkey with a link' : ' added a passkey'],
  passkey_removed: (e) => [e.actor, ' removed one of their passkeys'],
  passkey_renamed: (e) => [e.actor, ' renamed one of their passkeys to ', e.field('name')],
  session_ended: (e) => (e.text('host') === undefined ? [e.actor, ' ended one of their sessions'] : [e.actor, ' ended their session on ', e.field('host')]),
  sessions_ended_all: (e) => [e.actor, ' signed out everywhere'],
  display_name_changed: (e) => [e.actor, ' changed their name to ', e.field('displayName')],
  email_changed: (e) => [e.actor, ' changed their email to ', e.field('email')],
  username_changed: (e) => [e.actor, ' changed their username to ', e.field('username')],
  link_created: (e) => [e.actor, ' created a link to add a device'],
  link_revoked: (e) => [e.actor, ' revoked their link to add a device'],
  oidc_key_rotated: (e) => [e.actor, ' rotated the ', e.field('alg'), ' signing key for apps (OpenID Connect)'],
  oidc_signed_in: (e) => [e.actor, ' signed in to the app ', e.field('client')],
  oidc_refresh_reused: (e) => ['A used refresh token of ', e.actor, ' for the app ', e.field('client'), ' came back; that sign-in was revoked'],
  oidc_app_disconnected: (e) =>
    e.actorIsTarget ? [e.actor, ' disconnected the app ', e.field('client')] : [e.actor, ' disconnected ', e.user(e.target, e.text('displayName')), ' from the app ', e.field('client')],
  oidc_backchannel_logout_failed: (e) => ['Telling the app ', e.field('client'), ' of a sign-out failed (', e.field('error'), '); it is tried again later'],
  oidc_backchannel_logout_gave_up: (e) => ['Telling the app ', e.field('client'), ' of a sign-out failed for the last time (', e.field('error'), '); given up'],
  api_key_used: (e) => ['The API key ', e.field('keyName', 'of a backend'), ' ', API_KEY_OPS[e.text('op') ?? ''] ?? 'was used', ...(e.target ? [' for ', e.user(e.target, e.text('displayName'))] : [])],
};

/** What a backend did with an API key, as `api_key_used` entries say it. */
const API_KEY_OPS: Record<string, string> = {
  validate_token: 'checked a token',
  create_user: 'added a person',
  end_sessions: 'signed a person out everywhere',
  introspect: 'introspected a token',
};

/** A table's sentence for a code from the server; undefined for a code this version does not know. */
function sentenceFor<Code extends string>(table: Record<Code, Sentence>, code: string): Sentence | undefined {
  return Object.hasOwn(table, code) ? table[code as Code] : undefined;
}

/**
 * "scope: app:read, displayName: Editor": every detail field but the op, ids shortened, each
 * value isolated; for entries this version has no sentence for.
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
const adminOp = (entry: AuditEntryInfo): string | null =>
  entry.action === 'admin_change' && typeof entry.detail.op === 'string' ? entry.detail.op : null;

/** Whether the entry's target is a role (whose current name the page can look up in its organisation). */
export function targetsRole(entry: AuditEntryInfo): boolean {
  const op = adminOp(entry);
  return op === 'create_role' || op === 'add_role_permission' || op === 'remove_role_permission' || op === 'set_default_role';
}

function read(entry: AuditEntryInfo, names: KnownNames): EntryReading {
  const text = (key: string) => (typeof entry.detail[key] === 'string' ? (entry.detail[key] as string) : undefined);
  const field = (key: string, fallback = 'something') => {
    const value = key === 'host' ? (text('host') ?? entry.target ?? undefined) : text(key);
    return value === undefined ? fallback : name(value);
  };
  const user = (id: string | null, recorded?: string): SentencePart => {
    if (id !== null && names.users.has(id)) return name(names.users.get(id)!, userHref(id));
    if (recorded !== undefined) return name(recorded);
    return id === null ? 'a user' : name('a deleted user', null, id);
  };
  const orgName = (entry.orgId !== null ? names.orgs.get(entry.orgId) : undefined) ?? text('orgName') ?? (adminOp(entry)?.endsWith('_org') ? text('displayName') : undefined);
  const org: SentencePart =
    entry.orgId !== null && names.orgs.has(entry.orgId) ? name(orgName!, orgHref(entry.orgId)) : orgName !== undefined ? name(orgName) : entry.orgId === null ? '' : some('organisation', entry.orgId);
  const recordedRole = text('roleName') ?? (adminOp(entry) === 'create_role' ? text('displayName') : undefined);
  const roleName = (entry.target !== null ? names.roles.get(entry.target) : undefined) ?? recordedRole;
  return {
    actor: entry.actor ? name(entry.actor.displayName, userHref(entry.actor.id)) : 'A deleted user',
    user,
    org,
    // Every sentence says "role" before it: an unnamed one is just its id.
    role: roleName !== undefined ? name(roleName) : entry.target === null ? 'unknown' : name(shortId(entry.target), null, entry.target),
    field,
    text,
    target: entry.target,
    actorIsTarget: entry.actor !== null && entry.actor.id === entry.target,
  };
}

/** The entry as a sentence, and its raw code for the tooltip. */
export function describeAuditEntry(entry: AuditEntryInfo, names: KnownNames): DescribedAuditEntry {
  const op = adminOp(entry);
  const code = op !== null ? `${entry.action} / ${op}` : entry.action;
  const sentence = op !== null ? sentenceFor(ADMIN_SENTENCES, op) : entry.action === 'admin_change' ? undefined : sentenceFor(SENTENCES, entry.action);
  if (sentence) return { sentence: sentence(read(entry, names)), code };
  // An entry a newer version wrote: its code and detail as they are.
  const summary = summarise(entry.detail);
  return { sentence: [read(entry, names).actor, `: ${code.replace(/_/g, ' ')}`, ...(summary ? [` (${summary})`] : [])], code };
}
