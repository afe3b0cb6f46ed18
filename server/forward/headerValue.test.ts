import { describe, expect, it } from 'vitest';
import { encodeHeaderValue } from './headerValue.js';

describe('encodeHeaderValue', () => {
  it('sends printable ASCII as it is', () => {
    expect(encodeHeaderValue('Ada Lovelace')).toBe('Ada Lovelace');
    expect(encodeHeaderValue('a,b:c')).toBe('a,b:c');
  });

  it('percent-encodes non-ASCII and control characters behind UTF-8\'\'', () => {
    expect(encodeHeaderValue('Zoë')).toBe("UTF-8''Zo%C3%AB");
    expect(encodeHeaderValue('Evil\r\nSet-Cookie: x')).toBe("UTF-8''Evil%0D%0ASet-Cookie%3A%20x");
    expect(encodeHeaderValue("O'Brien 😀")).toBe("UTF-8''O%27Brien%20%F0%9F%98%80");
    expect(decodeURIComponent(encodeHeaderValue('日本').slice(7))).toBe('日本');
  });

  it('encodes values that would otherwise be ambiguous or trimmed by proxies', () => {
    expect(encodeHeaderValue("UTF-8''x")).toBe("UTF-8''UTF-8%27%27x");
    expect(encodeHeaderValue(' padded ')).toBe("UTF-8''%20padded%20");
  });
});
