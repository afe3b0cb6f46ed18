import { describe, expect, it } from 'vitest';
import { appConnections, type GrantUse } from './oidcConnections.js';

const grant = (fields: Partial<GrantUse>): GrantUse => ({ clientId: 'reports', clientName: 'Reports', scope: 'openid profile', createdAt: 100, refreshedAt: null, live: true, ...fields });

describe('appConnections', () => {
  it('spans the first sign-in to the last sign-in or refresh, over every stored grant, with the live scopes once each', () => {
    const connections = appConnections([grant({ createdAt: 50, live: false, scope: 'openid groups' }), grant({ createdAt: 200, refreshedAt: 900 }), grant({ createdAt: 300, scope: 'openid email' })], []);
    expect(connections).toEqual([{ clientId: 'reports', name: 'Reports', firstUsedAt: 50, lastUsedAt: 900, scopes: ['openid', 'profile', 'email'] }]);
  });

  it('lists an app while consent is remembered, and not once every grant ended without one', () => {
    const consent = { clientId: 'wiki', clientName: 'Wiki', scope: 'openid email', grantedAt: 400 };
    expect(appConnections([grant({ live: false })], [consent])).toEqual([{ clientId: 'wiki', name: 'Wiki', firstUsedAt: 400, lastUsedAt: 400, scopes: ['openid', 'email'] }]);
  });
});
