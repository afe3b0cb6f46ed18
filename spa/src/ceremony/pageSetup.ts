/**
 * First-run mistakes a page can see before any passkey ceremony: opened over plain http away
 * from localhost, at an address that is not an allowed origin, or on a host outside the RP ID.
 * Each would otherwise end in a vague failure (a refused WebSocket looks like a lost
 * connection; WebAuthn throws a SecurityError), so the page says what is wrong and what to use.
 * The server's tags (server/ui/ui.ts) name the allowed origins and the RP ID.
 */
import { pageMeta } from '../pageMeta';
import { isHostUnderRpId, originMatchesRule } from '../../../shared/originRules';

/** What a page knows of itself: a slice of `location`, and `isSecureContext`. */
export interface PageAddress {
  /** `location.origin`, e.g. `http://127.0.0.1:4401`. */
  origin: string;
  /** `location.hostname`, lower case, without port. */
  hostname: string;
  /** `location.pathname + location.search`, kept when naming the address to use. */
  path: string;
  secureContext: boolean;
}

/** The site's setup as the server's tags state it; null where a tag is missing (then nothing is checked). */
export interface SiteSetup {
  origins: string[] | null;
  rpId: string | null;
}

/** The problem with running a ceremony on this page, as a sentence to show, or null when there is none. */
export function pageSetupProblem(page: PageAddress, site: SiteSetup): string | null {
  // WebAuthn does not exist outside secure contexts: say so before anything else.
  if (!page.secureContext) {
    return (
      `Passkeys need a secure connection, and this page is open over plain http at ${page.origin}. ` +
      'Open it over https (for example through a reverse proxy with a certificate); plain http works only on localhost.'
    );
  }
  const underRpId = site.rpId === null || isHostUnderRpId(page.hostname, site.rpId);
  if (site.origins && !site.origins.some((rule) => originMatchesRule(page.origin, rule))) {
    const better = suggestedOrigin(page, site.origins);
    const open = better ? ` Open ${better}${page.path} instead.` : ` Open it at the address your administrator gave you.`;
    // Allowing this address helps only where passkeys of the RP ID can work.
    const allow = underRpId ? ` To use this address, start Passkey Auth with --origin ${page.origin}.` : '';
    return `Sign-in is not allowed at ${page.origin}.${open}${allow}`;
  }
  if (!underRpId) {
    return (
      `This page is on ${page.hostname}, but the passkeys of this service belong to ${site.rpId} (its --rp-id). ` +
      `Open it at an address under ${site.rpId}, or start Passkey Auth with an --rp-id that ${page.hostname} is under.`
    );
  }
  return null;
}

/** An exact allowed origin to open instead: one on this page's scheme and port first (`localhost` for `127.0.0.1`). */
function suggestedOrigin(page: PageAddress, rules: string[]): string | null {
  const exact = rules.filter((rule) => !rule.includes('*'));
  const sameSchemeAndPort = (rule: string) => {
    const url = new URL(rule);
    const here = new URL(page.origin);
    return url.protocol === here.protocol && url.port === here.port;
  };
  return exact.find(sameSchemeAndPort) ?? exact[0] ?? null;
}

/** The problem with this page (see {@link pageSetupProblem}), from `location` and the server's tags. */
export function currentPageSetupProblem(): string | null {
  const origins = pageMeta('origins');
  return pageSetupProblem(
    { origin: location.origin, hostname: location.hostname, path: location.pathname + location.search, secureContext: window.isSecureContext },
    { origins: origins === null ? null : origins.split(' ').filter(Boolean), rpId: pageMeta('rpId') },
  );
}
