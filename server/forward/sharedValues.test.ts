import { describe, expect, it } from 'vitest';
import type { PersonIdentityRow } from './identityHeaders.js';
import { personSubject } from './identityHeaders.js';
import { SharedValues } from './sharedValues.js';

const person = (id: string, fields: Partial<PersonIdentityRow> = {}): PersonIdentityRow => ({
  user_id: id, display_name: `Person ${id}`, email: null, email_verified: 0, username: null,
  org_id: 'o', org_name: 'Org', role_id: 'r', role_name: 'Role', ...fields,
});
const subjectOf = (row: PersonIdentityRow, scopes: string[]) => personSubject(row, 'app.example.com', scopes, 'id');

describe('SharedValues', () => {
  it('gives people of one organisation and role one scope list, and leaves every value as it was', () => {
    const values = new SharedValues(10);
    const ada = subjectOf(person('ada'), ['app:read', 'app:write']);
    const bob = subjectOf(person('bob'), ['app:read', 'app:write']);
    const [sharedAda, sharedBob] = [values.subject(ada), values.subject(bob)];
    expect(sharedAda).toEqual(ada);
    expect(sharedBob).toEqual(bob);
    expect(sharedBob.scopes).toBe(sharedAda.scopes);
    const viewer = values.subject(subjectOf(person('cy', { role_id: 'v', role_name: 'Viewer' }), ['app:read']));
    expect(viewer.scopes).toEqual(['app:read']);
    expect(viewer.headers).toEqual(expect.arrayContaining(['Remote-Role', 'v', 'Remote-Role-Name', 'Viewer', 'Remote-Groups', 'app:read']));
  });

  it('keeps nothing past clear', () => {
    const values = new SharedValues(10);
    const before = values.subject(subjectOf(person('ada'), ['app:read'])).scopes;
    values.clear();
    const after = values.subject(subjectOf(person('ada'), ['app:read'])).scopes;
    expect(after).toEqual(before);
    expect(after).not.toBe(before);
  });
});
