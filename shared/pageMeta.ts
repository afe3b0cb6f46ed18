/**
 * `<meta name>` tags the server adds to a page and the SPA reads: what the page cannot
 * learn from its own URL.
 */
export const PAGE_META = {
  /** host[:port] of the dedicated auth host, in every page; absent without one. */
  authHost: 'passkey-auth-host',
  /** A {@link ForwardMode}: set when forward auth served this page in place of a protected one. */
  forwardMode: 'passkey-auth-forward',
  /**
   * The allowed origins as `--origin` writes them, space-separated, in every page: a page opened
   * at another address says so (and names one to use) instead of failing to reach the ceremony.
   */
  origins: 'passkey-auth-origins',
  /** The WebAuthn RP ID, in every page: a page on a host outside it says so. */
  rpId: 'passkey-auth-rp-id',
  /** The service's name (`--service-name`), in every page: its header and the end of its title. */
  serviceName: 'passkey-auth-service-name',
  /** The logo's URL (`--logo`), in every page when one is configured: shown in its header. */
  logo: 'passkey-auth-logo',
  /** The accent's {@link AccentPalette} (`--accent-color`), in every page when one is configured. */
  accent: 'passkey-auth-accent',
} as const;

/**
 * The colours of a configured accent, named after the CSS variables `--brand-<name>` that
 * spa/src/styles/base.css reads; the `accent` tag lists them in this order, space-separated.
 * `accent`/`accent-dark`: the accent on the light/dark theme's surfaces (links, focus ring, badges);
 * `accent-fill` behind text (buttons), `accent-hover` the same when pointed at, `accent-text` the text on both.
 */
export const ACCENT_COLORS = ['accent', 'accent-dark', 'accent-fill', 'accent-hover', 'accent-text'] as const;

export type AccentPalette = Record<(typeof ACCENT_COLORS)[number], string>;

/** Why forward auth answered with a page: not signed in here, sign-in too old, or lacking a permission. */
export type ForwardMode = 'login' | 'reauth' | 'forbidden';

/** The tags one page carries (null or absent: left out). */
export type PageMetas = { [Name in keyof typeof PAGE_META]?: string | null };
