import type { Config } from './config.js';

/** The URL that opens a reset/registration token: at the root of the auth host, else under `/auth/`. */
export function resetLink(config: Config, token: string): string {
  return `${config.publicOrigin}${config.authHost ? '' : '/auth'}/${token}`;
}
