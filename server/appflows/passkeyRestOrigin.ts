/**
 * Which origin a REST passkey ceremony's answer may name. A WebSocket ceremony learns the page's
 * origin from the upgrade's `Origin` header; a native app sends none, so here the origin is the one
 * the platform wrote into the signed client data, checked against what the mode allows before the
 * signature check holds the answer to it:
 * - **cookie mode**: an allowed origin (`--origin`) on the very host the session cookie is for;
 * - **token mode**: any allowed origin (web apps, and iOS apps, whose platform writes the associated
 *   domain's `https://` origin), or an Android app's `android:apk-key-hash:…` given with `--app-origin`.
 */
import type { OriginRule } from '../config.js';
import { allowedOrigin } from '../webauthn/origins.js';
import { fromBase64Url, isBase64Url } from '../crypto/base64url.js';

export type CeremonyMode = { kind: 'cookie'; host: string } | { kind: 'token' };

export interface OriginRules {
  origins: readonly OriginRule[];
  appOrigins: readonly string[];
}

/** The `origin` of an answer's `clientDataJSON` (base64url JSON), or null when it has none. */
export function clientDataOrigin(clientDataJSON: unknown): string | null {
  if (typeof clientDataJSON !== 'string' || !isBase64Url(clientDataJSON)) return null;
  try {
    const origin: unknown = JSON.parse(Buffer.from(fromBase64Url(clientDataJSON)).toString('utf8')).origin;
    return typeof origin === 'string' ? origin : null;
  } catch {
    return null;
  }
}

/** The origin the answer may be verified against, or a sentence saying why its origin is refused. */
export function expectedOrigin(origin: string | null, mode: CeremonyMode, rules: OriginRules): { ok: true; origin: string } | { ok: false; reason: string } {
  if (origin === null) return { ok: false, reason: 'the client data names no origin' };
  if (mode.kind === 'token' && rules.appOrigins.includes(origin)) return { ok: true, origin };
  const web = allowedOrigin(origin, rules.origins);
  if (!web) return { ok: false, reason: `the origin ${JSON.stringify(origin)} is not allowed` };
  if (mode.kind === 'cookie' && web.host !== mode.host) {
    return { ok: false, reason: `the origin ${JSON.stringify(origin)} is not on ${mode.host}, the host the session cookie is for` };
  }
  return { ok: true, origin };
}
