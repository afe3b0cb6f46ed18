/**
 * The forward-auth query: `perm` (permission groups) and `max_age`.
 *
 * `perm` is repeatable, and one value may hold several groups separated by single
 * spaces. Every group must hold (AND); within a group, `a|b` means either (OR).
 * A scope is `[A-Za-z0-9:._~/-]+`, and a pattern may use `*` (any run of characters
 * within one `:` or `/` segment) or `**` (any run, across segments). Parsing is
 * strict: empty alternatives, stray spaces or `|`, a literal `+` (form encoding
 * would silently turn it into a space), unknown parameters: all are errors.
 */

export type ScopeMatcher = (scopes: readonly string[]) => boolean;

export interface ForwardQuery {
  /** All must match (AND); each is an OR of patterns. */
  groups: ScopeMatcher[];
  /** The last passkey use must be at most this old; null = any. */
  maxAgeMs: number | null;
}

export type ParsedQuery = { ok: true; query: ForwardQuery } | { ok: false; error: string };

const PATTERN = /^(?:[A-Za-z0-9:._~/-]|\*\*?(?!\*))+$/;
const MAX_AGE = /^([1-9][0-9]{0,6})([smhd])$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_AGE_LIMIT_MS = 366 * UNIT_MS.d;
const MAX_QUERY_LENGTH = 4096;

/** Parses the raw query string (without `?`). Errors never repeat the query: it is the client's text. */
export function parseForwardQuery(raw: string): ParsedQuery {
  if (raw.length > MAX_QUERY_LENGTH) return { ok: false, error: 'query too long' };
  if (raw.includes('+')) return { ok: false, error: 'a literal + is ambiguous in a query; separate groups with %20 or repeat perm=' };
  const groups: ScopeMatcher[] = [];
  let maxAgeMs: number | null = null;
  if (raw === '') return { ok: true, query: { groups, maxAgeMs } };
  for (const pair of raw.split('&')) {
    const equals = pair.indexOf('=');
    const name = equals === -1 ? pair : pair.slice(0, equals);
    let value: string;
    try {
      value = decodeURIComponent(equals === -1 ? '' : pair.slice(equals + 1));
    } catch {
      return { ok: false, error: `parameter ${safeName(name)} is not valid percent-encoding` };
    }
    if (name === 'perm') {
      const parsed = parsePermValue(value);
      if (typeof parsed === 'string') return { ok: false, error: parsed };
      groups.push(...parsed);
    } else if (name === 'max_age') {
      if (maxAgeMs !== null) return { ok: false, error: 'max_age given twice' };
      const match = MAX_AGE.exec(value);
      if (!match) return { ok: false, error: 'max_age must be a number with a unit: 30s, 5m, 1h or 1d' };
      maxAgeMs = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
      if (maxAgeMs > MAX_AGE_LIMIT_MS) return { ok: false, error: 'max_age may be at most 366d' };
    } else {
      return { ok: false, error: `unknown parameter ${safeName(name)}; expected perm or max_age` };
    }
  }
  return { ok: true, query: { groups, maxAgeMs } };
}

/** Names are echoed only when they are plain identifiers; anything else is described, not repeated. */
function safeName(name: string): string {
  return /^[a-z_]{1,20}$/i.test(name) ? `"${name}"` : '(unprintable name)';
}

/** One `perm` value (already percent-decoded): its groups, or what is wrong with it. Also checks an OIDC client's required permission. */
export function parsePermValue(value: string): ScopeMatcher[] | string {
  if (value === '') return 'perm must not be empty';
  const groups: ScopeMatcher[] = [];
  for (const group of value.split(' ')) {
    if (group === '') return 'perm groups are separated by exactly one space';
    const alternatives = group.split('|');
    const matchers: Array<(scope: string) => boolean> = [];
    for (const alternative of alternatives) {
      if (alternative === '') return 'perm has an empty alternative (check for stray | or spaces around it)';
      if (!PATTERN.test(alternative)) return 'perm scopes may hold only letters, digits, : . _ ~ / - and the wildcards * and **';
      matchers.push(scopeMatcher(alternative));
    }
    groups.push((scopes) => scopes.some((scope) => matchers.some((matches) => matches(scope))));
  }
  return groups;
}

/** Compiles one pattern; exact scopes are compared as strings, wildcards become one anchored RegExp. */
export function scopeMatcher(pattern: string): (scope: string) => boolean {
  if (!pattern.includes('*')) return (scope) => scope === pattern;
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^:/]*' : part.replace(/[.\\/~-]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`);
  return (scope) => regex.test(scope);
}

/** True when every group holds for these scopes. */
export function satisfies(query: ForwardQuery, scopes: readonly string[]): boolean {
  for (const group of query.groups) if (!group(scopes)) return false;
  return true;
}
