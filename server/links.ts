import type { Config } from './config.js';

/** Where the full UI lives: the root of the auth host, else `/auth/`. */
export function uiUrl(config: Config): string {
  return `${config.publicOrigin}${config.authHost ? '/' : '/auth/'}`;
}

/** The URL that opens a reset/registration token: a path segment under the UI. */
export function resetLink(config: Config, token: string): string {
  return uiUrl(config) + token;
}
