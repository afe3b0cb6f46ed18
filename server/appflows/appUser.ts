/**
 * The person an app sees through the JSON app API ({@link AppUser}), built from the same sources
 * as the ID token's claims: the person's record and their permissions on the app's host, released
 * by the scopes of the grant.
 */
import type { Services } from '../services.js';
import type { AppUser } from '../../shared/appFlows.js';
import { findOrgAndRole } from '../db/people.js';
import type { AppPerson } from '../oidc/appPerson.js';

/** The organisation and role of a person, as names. */
export interface Membership {
  org: { id: string; displayName: string };
  role: { id: string; displayName: string };
}

/** `person` as an app granted `scopes` sees them. Pure. */
export function appUserOf(person: AppPerson, membership: Membership, scopes: readonly string[]): AppUser {
  const { user } = person;
  const profile = scopes.includes('profile');
  const groups = scopes.includes('groups');
  return {
    id: user.id,
    name: profile ? user.display_name : null,
    email: scopes.includes('email') ? user.email : null,
    username: profile ? user.username : null,
    organisation: groups ? { id: membership.org.id, name: membership.org.displayName } : null,
    role: groups ? { id: membership.role.id, name: membership.role.displayName } : null,
    permissions: groups ? [...person.groups] : [],
  };
}

/** `person` as an app granted `scopes` sees them, with their organisation and role looked up. */
export async function appUser(services: Services, person: AppPerson, scopes: readonly string[]): Promise<AppUser> {
  return appUserOf(person, await findOrgAndRole(services.database.db, person.user), scopes);
}
