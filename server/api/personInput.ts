/**
 * Edge schemas for a person's email and username (rules in shared/personFields.ts), and how a
 * taken one is refused. Admin user routes and the account settings both use them.
 */
import { z } from 'zod';
import { EMAIL_RULE, USERNAME_RULE, normaliseEmail, normaliseUsername } from '../../shared/personFields.js';
import type { PersonFields } from '../db/people.js';
import type { User } from '../db/schema.js';
import { ApiError } from '../http/apiError.js';
import { conflictOnDuplicate } from './admin/adminInput.js';
import { uniqueViolation } from '../db/uniqueViolation.js';

/** A string field stored as `normalise` makes it, refused as "must be <rule>" when it returns null. */
const normalisedBy = (normalise: (input: string) => string | null, rule: string) =>
  z.string().transform((value, ctx) => {
    const normalised = normalise(value);
    if (normalised === null) ctx.addIssue({ code: 'custom', message: `must be ${rule}` });
    return normalised ?? '';
  });

/** `null` removes the address. */
export const EMAIL = normalisedBy(normaliseEmail, EMAIL_RULE).nullable();
/** `null` removes the username. */
export const USERNAME = normalisedBy(normaliseUsername, USERNAME_RULE).nullable();

export const DUPLICATE_EMAIL = 'Another person already has this email address (addresses are compared ignoring case)';
export const DUPLICATE_USERNAME = 'Another person already has this username';

/** A `.catch` handler: a taken email or username becomes 409 saying which; anything else is rethrown. */
export function conflictOnTakenField(error: unknown): never {
  const field = uniqueViolation(error)?.includes('users_email_unique') ? DUPLICATE_EMAIL : DUPLICATE_USERNAME;
  return conflictOnDuplicate(field)(error);
}

/**
 * The email fields an admin's request leads to. An admin vouches for an address with
 * `emailVerified: true`; a new address they give without saying so is unverified, and an
 * unchanged one keeps its state.
 * @throws {ApiError} 400 when `emailVerified: true` would vouch for no address.
 */
export function adminEmailChange(current: Pick<User, 'email' | 'email_verified'> | null, input: { email?: string | null; emailVerified?: boolean }): PersonFields {
  const email = input.email === undefined ? (current?.email ?? null) : input.email;
  if (input.emailVerified && email === null) throw new ApiError(400, 'emailVerified needs an email address');
  if (input.emailVerified !== undefined) return { email: input.email, emailVerified: input.emailVerified };
  if (input.email === undefined || input.email === current?.email) return {};
  return { email: input.email, emailVerified: false };
}
