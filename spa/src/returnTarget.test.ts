import { describe, expect, it } from 'vitest';
import { returnTarget } from './returnTarget';

const PAGE = 'https://app.example.com';

describe('returnTarget', () => {
  it('leads to paths and URLs on the page’s own origin', () => {
    expect(returnTarget('/', PAGE)).toBe('https://app.example.com/');
    expect(returnTarget('/reports/2026?q=a%2Fb#top', PAGE)).toBe('https://app.example.com/reports/2026?q=a%2Fb#top');
    expect(returnTarget('https://app.example.com/reports', PAGE)).toBe('https://app.example.com/reports');
    expect(returnTarget('//app.example.com/reports', PAGE)).toBe('https://app.example.com/reports');
    expect(returnTarget('HTTPS://APP.EXAMPLE.COM/x', PAGE)).toBe('https://app.example.com/x');
    expect(returnTarget('/auth/restricted', 'http://localhost:4401')).toBe('http://localhost:4401/auth/restricted');
  });

  it('has nothing for an absent or empty value', () => {
    expect(returnTarget(null, PAGE)).toBeNull();
    expect(returnTarget('', PAGE)).toBeNull();
  });

  it('refuses tabs, newlines, carriage returns, NUL and other control characters', () => {
    for (const raw of [
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r/evil.example',
      '/\r\n/evil.example',
      '\t//evil.example',
      '/\u0000/evil.example',
      '/reports\u0000',
      '/\u001f/evil.example',
      '/\u007f/evil.example',
      '/\u0085/evil.example',
      'java\tscript:alert(1)',
    ])
      expect(returnTarget(raw, PAGE), JSON.stringify(raw)).toBeNull();
  });

  it('refuses backslashes, which browsers read as slashes', () => {
    for (const raw of ['/\\evil.example', '\\\\evil.example', '\\/evil.example', '/\\/evil.example', '/reports\\x'])
      expect(returnTarget(raw, PAGE), raw).toBeNull();
  });

  it('refuses other hosts, however they are written', () => {
    for (const raw of [
      '//evil.example',
      '///evil.example',
      '//evil.example/reports',
      'https://evil.example',
      'https://evil.example/reports',
      'http://app.example.com/reports',
      'https://app.example.com:8443/reports',
      'https://app.example.com.evil.example/',
      'https://app.example.com@evil.example/',
      'https://app.example.com:443@evil.example/',
      '//app.example.com@evil.example',
      'https://evil.example#@app.example.com',
      'http:evil.example',
      'ftp://evil.example',
      ' //evil.example',
    ])
      expect(returnTarget(raw, PAGE), raw).toBeNull();
  });

  it('refuses script and data URLs', () => {
    for (const raw of ['javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'blob:https://app.example.com/1', 'vbscript:x'])
      expect(returnTarget(raw, PAGE), raw).toBeNull();
  });

  it('refuses credentials in a URL of the page’s own origin', () => {
    expect(returnTarget('https://user@app.example.com/', PAGE)).toBeNull();
    expect(returnTarget('https://user:secret@app.example.com/', PAGE)).toBeNull();
  });

  it('keeps encoded slashes and controls as a path on the page’s own origin, never another host', () => {
    for (const raw of ['/%2F/evil.example', '/%2f%2fevil.example', '%2F%2Fevil.example', '/%5Cevil.example', '/%09/evil.example', '/%252F/evil.example', '/%E3%80%80/evil.example'])
      expect(new URL(returnTarget(raw, PAGE)!).origin, raw).toBe(PAGE);
    expect(returnTarget('/%2F/evil.example', PAGE)).toBe('https://app.example.com/%2F/evil.example');
  });
});
