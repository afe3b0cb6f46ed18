/**
 * Start-up warnings for configurations that parse but cannot work in a browser: the mistake is
 * visible in the flags alone, so it is named before the first visitor meets it. Warnings, not
 * errors: a browser may still allow some of them (Related Origin Requests let another domain use
 * an RP ID's passkeys), and a refused start is worse than a page that explains itself.
 */
import { formatOriginRule, type Config } from './config.js';
import { isHostUnderRpId } from '../shared/originRules.js';
import { isLocalDevHost } from './sessions/cookie.js';
import { allowedOrigin } from './webauthn/origins.js';

/** One sentence per mistake, each naming the flag to change. */
export function configWarnings(config: Pick<Config, 'rpId' | 'origins' | 'authHost' | 'issuer'>): string[] {
  const warnings: string[] = [];
  for (const rule of config.origins) {
    const origin = formatOriginRule(rule);
    if (!isHostUnderRpId(rule.host, config.rpId)) {
      warnings.push(
        `--origin ${origin} is not under the RP ID "${config.rpId}": browsers refuse this service's passkeys on pages there. ` +
          `Set --rp-id to a domain that covers every origin, or open the pages at an address under ${config.rpId}.`,
      );
    } else if (rule.scheme === 'http' && !isLocalDevHost(rule.host)) {
      warnings.push(
        `--origin ${origin} is plain http: browsers offer passkeys only on https pages (plain http only on localhost names). ` +
          `Serve it over https, for example behind a reverse proxy, and give --origin ${formatOriginRule({ ...rule, scheme: 'https', port: null })}.`,
      );
    }
  }
  const authHost = config.authHost;
  if (authHost !== null && !config.origins.some((rule) => (rule.wildcard ? authHost.endsWith(`.${rule.host}`) : authHost === rule.host))) {
    warnings.push(`--auth-host ${authHost} is not among the --origin values: pages there cannot sign in. Add --origin https://${authHost} (with its port, if not 443).`);
  }
  // With --auth-host the issuer is on it (config.ts insists), and the warning above covers it.
  const issuerOrigin = new URL(config.issuer).origin;
  if (authHost === null && allowedOrigin(issuerOrigin, config.origins) === null) {
    warnings.push(`--issuer ${config.issuer} is not on an --origin: apps send people there to sign in with a passkey, which cannot work. Add --origin ${issuerOrigin} or change --issuer.`);
  }
  return warnings;
}
