import { afterEach, describe, expect, it, vi } from 'vitest';
import { adminPath, authHost, forwardMode, safeReturnTarget, tokenFromPath, uiRoot } from './paths';

/** Puts the module on a page at `href` whose head has these `<meta name content>` tags. */
function onPage(href: string, metas: Record<string, string> = {}) {
  vi.stubGlobal('location', new URL(href));
  vi.stubGlobal('document', {
    querySelector: (selector: string) => {
      const name = /^meta\[name="([^"]+)"\]$/.exec(selector)?.[1];
      return name !== undefined && name in metas ? { content: metas[name] } : null;
    },
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('authHost', () => {
  it('is the host the server names in dedicated mode, port included', () => {
    onPage('https://app.example.com/reports', { 'passkey-auth-host': 'auth.example.com:8443' });
    expect(authHost()).toBe('auth.example.com:8443');
  });

  it("is this page's host otherwise", () => {
    onPage('http://localhost:4401/auth/');
    expect(authHost()).toBe('localhost:4401');
  });
});

describe('uiRoot and adminPath', () => {
  it('are at the root of a dedicated auth host', () => {
    onPage('https://auth.example.com/admin/', { 'passkey-auth-host': 'auth.example.com' });
    expect(uiRoot()).toBe('/');
    expect(adminPath()).toBe('/admin/');
  });

  it('are under /auth/ without a dedicated auth host, even on a page served at /', () => {
    onPage('https://app.example.com/');
    expect(uiRoot()).toBe('/auth/');
    expect(adminPath()).toBe('/auth/admin/');
  });

  it('are under /auth/ on a dedicated-mode page served under /auth/', () => {
    onPage('https://app.example.com/auth/', { 'passkey-auth-host': 'auth.example.com' });
    expect(uiRoot()).toBe('/auth/');
  });
});

describe('tokenFromPath', () => {
  it("is the path's last segment", () => {
    onPage('https://auth.example.com/dirt.scale.until.shuffle.myth');
    expect(tokenFromPath()).toBe('dirt.scale.until.shuffle.myth');
    onPage('http://localhost:4401/auth/dirt.scale.until.shuffle.myth/');
    expect(tokenFromPath()).toBe('dirt.scale.until.shuffle.myth');
    onPage('http://localhost:4401/');
    expect(tokenFromPath()).toBe('');
  });
});

describe('forwardMode', () => {
  it('is the mode forward auth named, and null for anything else', () => {
    for (const mode of ['login', 'reauth', 'forbidden'] as const) {
      onPage('https://app.example.com/reports', { 'passkey-auth-forward': mode });
      expect(forwardMode()).toBe(mode);
    }
    onPage('https://app.example.com/reports', { 'passkey-auth-forward': 'admin' });
    expect(forwardMode()).toBeNull();
    onPage('https://app.example.com/reports');
    expect(forwardMode()).toBeNull();
  });
});

describe('safeReturnTarget', () => {
  it("is the return parameter when it leads to this page's origin", () => {
    onPage('https://auth.example.com/restricted?return=%2Freports%3Fq%3D1', { 'passkey-auth-host': 'auth.example.com' });
    expect(safeReturnTarget()).toBe('https://auth.example.com/reports?q=1');
  });

  it('is null when the parameter could lead elsewhere, or is missing', () => {
    onPage('https://auth.example.com/restricted?return=/%09/evil.example');
    expect(safeReturnTarget()).toBeNull();
    onPage('https://auth.example.com/restricted?return=https://app.example.com/');
    expect(safeReturnTarget()).toBeNull();
    onPage('https://auth.example.com/restricted');
    expect(safeReturnTarget()).toBeNull();
  });

  it("ignores the query of an app's page that forward auth answered", () => {
    onPage('https://app.example.com/search?return=/elsewhere', { 'passkey-auth-forward': 'forbidden' });
    expect(safeReturnTarget()).toBeNull();
  });
});
