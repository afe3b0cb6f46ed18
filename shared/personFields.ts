/**
 * What a person's email and username may be, shared so the server and the SPA agree.
 * Apps that sign people in through us (OpenID Connect `email` / `preferred_username`,
 * forward-auth headers) create their accounts from these fields.
 */

/** RFC 5321 caps a forward path at 256 octets, so an address is at most 254 characters. */
export const EMAIL_MAX = 254;
export const USERNAME_MAX = 64;

/**
 * Lower-case letters, digits, `.`, `_`, `-`; starting and ending with a letter or digit, because
 * apps such as Gitea/Forgejo and Grafana refuse usernames that begin or end with punctuation.
 */
const USERNAME_SYNTAX = new RegExp(`^[a-z0-9](?:[a-z0-9._-]{0,${USERNAME_MAX - 2}}[a-z0-9])?$`);

/**
 * RFC 5322 dot-atom text, then a host name (an internationalised domain in its `xn--` form).
 * ASCII only: nothing invisible or direction-changing can hide in an address shown to people and
 * passed to apps, and SQLite's `lower()` folds all of it for the uniqueness check. Deliverability
 * is the admin's business.
 */
const EMAIL_SYNTAX = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

export const USERNAME_RULE = `1 to ${USERNAME_MAX} of a-z 0-9 . _ -, starting and ending with a letter or digit`;
export const EMAIL_RULE = `an address such as name@example.com in ASCII (an international domain in its xn-- form), at most ${EMAIL_MAX} characters`;

/** A username as stored (trimmed, lower-cased), or null when it breaks {@link USERNAME_RULE}. */
export function normaliseUsername(input: string): string | null {
  const username = input.trim().toLowerCase();
  return USERNAME_SYNTAX.test(username) ? username : null;
}

/** An email address as stored (trimmed, case kept), or null when it breaks {@link EMAIL_RULE}. */
export function normaliseEmail(input: string): string | null {
  const email = input.trim();
  if (email.length > EMAIL_MAX || !EMAIL_SYNTAX.test(email)) return null;
  return email;
}
