import { expect, it } from 'vitest';
import { verifiesChallenge } from './pkce.js';

// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

it('accepts the verifier whose SHA-256 is the challenge (RFC 7636 example), nothing else', () => {
  expect(verifiesChallenge(VERIFIER, CHALLENGE)).toBe(true);
  expect(verifiesChallenge(`${VERIFIER}x`, CHALLENGE)).toBe(false);
  // plain: the verifier itself as the challenge
  expect(verifiesChallenge(VERIFIER, VERIFIER)).toBe(false);
  // too short for RFC 7636 §4.1
  expect(verifiesChallenge('short', 'dyInWMnfq3VnUnmUaNjdYOI5CQV4Td7BWYQrDcmiNnY')).toBe(false);
});
