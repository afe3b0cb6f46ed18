/** Edge schemas for admin requests. */
import { z } from 'zod';
import { checkDisplayName } from '../../../shared/displayName.js';
import { SCOPE_MAX_LENGTH, SCOPE_PATTERN } from '../../../shared/permissionScopes.js';
import { ApiError } from '../../http/apiError.js';
import { uniqueViolation } from '../../db/uniqueViolation.js';
import { isHostName } from '../../../shared/host.js';

export const ID = z.uuid();
export const NAME = z.string().transform((value, ctx) => {
  const checked = checkDisplayName(value);
  if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.problem });
  return checked.ok ? checked.name : '';
});
/** A body that only names something (an organisation, a role). */
export const NAMED = z.object({ displayName: NAME }).strict();
const SCOPE_RULE = `a scope is 1-${SCOPE_MAX_LENGTH} of A-Z a-z 0-9 : . _ ~ / -`;
export const SCOPE = z.string().max(SCOPE_MAX_LENGTH, SCOPE_RULE).regex(SCOPE_PATTERN, SCOPE_RULE);
export const DOMAIN = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.string().refine(isHostName, 'must be a host name such as app.example.com'))
  .nullable();

/** Path parameters that must be UUIDs, each refused as "<name> must be a UUID". */
export function uuidParams<const Name extends string>(...names: Name[]) {
  return z.object(Object.fromEntries(names.map((name) => [name, z.uuid(`${name} must be a UUID`)])) as Record<Name, z.ZodUUID>);
}

/** Roles are created in orgRoutes and renamed in roleRoutes; both refuse a name the organisation already has. */
export const DUPLICATE_ROLE = 'The organisation already has a role with this name';

/** A `.catch` handler: a UNIQUE violation becomes 409 with `detail`; anything else is rethrown. */
export function conflictOnDuplicate(detail: string): (error: unknown) => never {
  return (error) => {
    if (uniqueViolation(error) !== null) throw new ApiError(409, detail);
    throw error;
  };
}
