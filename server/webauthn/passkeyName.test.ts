import { describe, expect, it } from 'vitest';
import { distinctName, newPasskeyName } from './passkeyName.js';

const UNKNOWN = '00000000-0000-0000-0000-000000000000';
const GOOGLE = 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4';
const CHROME_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

describe('newPasskeyName', () => {
  it('names the authenticator when its AAGUID is listed', () => {
    expect(newPasskeyName({ aaguid: GOOGLE, userAgent: CHROME_ON_LINUX }, [])).toBe('Google Password Manager');
    expect(newPasskeyName({ aaguid: GOOGLE.toUpperCase(), userAgent: '' }, [])).toBe('Google Password Manager');
  });

  it('names the browser and system of the registration when the AAGUID says nothing', () => {
    expect(newPasskeyName({ aaguid: UNKNOWN, userAgent: CHROME_ON_LINUX }, [])).toBe('Chrome on Linux');
  });

  it('says "Passkey" when neither is known', () => {
    expect(newPasskeyName({ aaguid: UNKNOWN, userAgent: 'curl/8.5.0' }, [])).toBe('Passkey');
  });

  it('numbers a name the person already has', () => {
    expect(newPasskeyName({ aaguid: UNKNOWN, userAgent: CHROME_ON_LINUX }, ['Chrome on Linux'])).toBe('Chrome on Linux (2)');
    expect(newPasskeyName({ aaguid: UNKNOWN, userAgent: '' }, ['Passkey', 'Passkey (2)', 'YubiKey'])).toBe('Passkey (3)');
  });
});

describe('distinctName', () => {
  it('takes the first free number, ignoring letter case', () => {
    expect(distinctName('Phone', [])).toBe('Phone');
    expect(distinctName('Phone', ['phone', 'Phone (3)'])).toBe('Phone (2)');
  });

  it('shortens a long name to make room for its number', () => {
    const long = 'Security Key NFC by Yubico - Enterprise Edition Preview';
    expect(distinctName(long, [], 30)).toBe('Security Key NFC by Yubico…');
    const numbered = distinctName(long, ['Security Key NFC by Yubico…'], 30);
    expect(numbered).toBe('Security Key NFC by Yubic… (2)');
    expect(numbered.length).toBeLessThanOrEqual(30);
  });
});
