import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, isBase64Url, toBase64Url } from './base64url.js';

describe('base64url', () => {
  it('encodes without padding in the URL-safe alphabet and decodes back', () => {
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('-_-_');
    expect(toBase64Url(Uint8Array.of(1, 2, 3, 4))).toBe('AQIDBA');
    for (let length = 0; length < 40; length++) {
      const bytes = randomBytes(length);
      expect(Buffer.from(fromBase64Url(toBase64Url(bytes)))).toEqual(bytes);
    }
  });

  it('encodes only the bytes a view covers, not its whole buffer', () => {
    const view = new Uint8Array(Uint8Array.of(9, 1, 2, 3, 9).buffer, 1, 3);
    expect(toBase64Url(view)).toBe('AQID');
  });

  it('accepts the padding some encoders add', () => {
    expect([...fromBase64Url('AQIDBA==')]).toEqual([1, 2, 3, 4]);
  });

  it.each(['AQ+D', 'AQ/D', 'AQ D', 'AQID\n', 'AQ=D', 'A', 'AQIDB', 'AQ==='])('refuses %j, which Buffer would decode leniently', (text) => {
    expect(isBase64Url(text)).toBe(false);
    expect(() => fromBase64Url(text)).toThrow(TypeError);
  });
});
