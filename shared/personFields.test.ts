import { describe, expect, it } from 'vitest';
import { EMAIL_MAX, USERNAME_MAX, normaliseEmail, normaliseUsername } from './personFields.js';

describe('normaliseUsername', () => {
  it('trims and lower-cases what it accepts', () => {
    expect(normaliseUsername('  Ada.Lovelace ')).toBe('ada.lovelace');
    expect(normaliseUsername('a')).toBe('a');
    expect(normaliseUsername('x_1-2.y')).toBe('x_1-2.y');
    expect(normaliseUsername('a'.repeat(USERNAME_MAX))).toBe('a'.repeat(USERNAME_MAX));
  });

  it.each(['', ' ', 'a'.repeat(USERNAME_MAX + 1), '.ada', 'ada-', '_', 'ada lovelace', 'ada@home', 'zoë', 'a/b'])('refuses %j', (input) => {
    expect(normaliseUsername(input)).toBeNull();
  });
});

describe('normaliseEmail', () => {
  it('trims and keeps the case', () => {
    expect(normaliseEmail(' Ada@Example.COM ')).toBe('Ada@Example.COM');
    expect(normaliseEmail('root@localhost')).toBe('root@localhost');
    expect(normaliseEmail("o'neil+tag@xn--exmple-cua.de")).toBe("o'neil+tag@xn--exmple-cua.de");
  });

  it.each(['', 'ada', 'ada@', '@example.com', 'a@b@c', 'ada @example.com', 'ada@.example.com', 'ada@exa\u0000mple.com', 'zoë@example.de', 'ada@exämple.de', 'ad\u202Ea@example.com', 'ad\u200Ba@example.com', 'ada@example..com', 'ada@-example.com', `${'a'.repeat(EMAIL_MAX)}@x`])(
    'refuses %j',
    (input) => {
      expect(normaliseEmail(input)).toBeNull();
    },
  );
});
