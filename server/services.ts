/**
 * The long-lived pieces routes share, built once per app from its dependencies.
 */
import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { DEFAULT_RATE_LIMITS, type AppDeps } from './deps.js';
import { SessionService } from './sessions/sessions.js';
import { clientIpResolver, trustedProxyCheck, type ClientIpResolver, type TrustedProxyCheck } from './http/clientIp.js';
import { untrustedProxyWatch, type UntrustedProxyWatch } from './http/untrustedProxyWatch.js';
import { rateLimiter, type RateLimiter } from './http/rateLimit.js';
import { hostWithoutPort } from '../shared/host.js';
import { IdentityCache } from './forward/identityCache.js';
import { identityQueries, type IdentityQueries } from './db/identity.js';
import type { Bytes, Session } from './db/schema.js';
import { SigningKeys } from './oidc/signingKeys.js';
import { createLogger, type Logger } from './log/logger.js';
import type { LimiterName, Metrics } from './metrics/metrics.js';
import { MetricsOff } from './metrics/metricsOff.js';
import type { ChangeFeed } from './cluster/changeFeed.js';
import type { JobLeader } from './cluster/jobLeader.js';
import { singleInstance } from './cluster/cluster.js';
import { BearerTokenCache } from './forward/bearerTokenCache.js';
import { bearerIdentity } from './forward/bearerIdentity.js';
import { hashFromKey, keyFromHash } from './crypto/tokens.js';

/**
 * The app's Hono environment: the Node request behind `c.env`, and what middleware has
 * decided about the request on `c.var` (every request's id, from server/http/requestId.ts).
 * Sub-apps extend it with what their middleware sets.
 */
export type AppEnv = { Bindings: HttpBindings; Variables: { requestId: string } };
/** What shared helpers read of any route's context, whatever variables its middleware set. */
export type AppContext = Pick<Context<AppEnv>, 'req' | 'env' | 'header'>;
/** Routes behind `requireSession` (server/http/requestSession.ts): the signed-in session. */
export type SessionEnv = AppEnv & { Variables: { session: Session } };
/** Routes behind `lookupSession`: the session, if the request has a live one. */
export type MaybeSessionEnv = AppEnv & { Variables: { session: Session | null } };

export interface Services extends AppDeps {
  log: Logger;
  metrics: Metrics;
  sessions: SessionService;
  /**
   * Identities of recent sessions for forward auth; clear it after any change to people or permissions.
   * `forget` and `clear` reach every instance (through `changes`).
   */
  identities: Pick<IdentityCache, 'get' | 'counts'> & { forget(tokenHashes: readonly Bytes[]): void; clear(): void };
  /**
   * Verified Bearer tokens for forward auth. `clear` whenever a grant ends (and it is cleared with
   * `identities.clear`); both reach every instance.
   */
  bearerTokens: Pick<BearerTokenCache, 'get'> & { clear(): void };
  /** Keeps per-instance caches in step across instances: `changes.share(name, cache)` for a new one. */
  changes: ChangeFeed;
  /** Whether this instance runs a background job now (`leader.leads(name)`): one instance of all does. */
  leader: JobLeader;
  identityQueries: IdentityQueries;
  /** The client's IP for this request (X-Forwarded-For only from trusted proxies). */
  clientIp(c: AppContext): string;
  /** The same from a socket peer and its `X-Forwarded-For`, for code outside Hono (forward auth). */
  resolveClientIp: ClientIpResolver;
  /** Whether a socket peer is a `--trusted-proxy`, whose forwarded headers are believed. */
  isTrustedProxy: TrustedProxyCheck;
  /** The request's host: lower case, without port. */
  hostOf(c: AppContext): string;
  /** Notices X-Forwarded-For from peers that are not trusted proxies (a forgotten --trusted-proxy). */
  untrustedProxies: UntrustedProxyWatch;
  /** The OpenID provider's signing keys: sign, verify, JWKS, rotation. */
  signingKeys: SigningKeys;
  limits: {
    /** Passkey ceremonies started, per IP. */
    ceremonies: RateLimiter;
    /** Secrets presented (exchange codes, reset tokens), per IP: bounds guessing. */
    secrets: RateLimiter;
  };
}

const MINUTE = 60_000;

export function createServices(deps: AppDeps): Services {
  const resolveIp = clientIpResolver(deps.config.trustedProxies);
  const isTrustedProxy = trustedProxyCheck(deps.config.trustedProxies);
  const rates = deps.rateLimits ?? DEFAULT_RATE_LIMITS;
  const log = deps.log ?? createLogger(deps.config.logFormat);
  const metrics = deps.metrics ?? new MetricsOff();
  const sessions = new SessionService(deps.database.db, deps.now);
  const queries = identityQueries(deps.database);
  const { changes, leader } = deps.cluster ?? singleInstance();
  const identityCache = new IdentityCache(queries, deps.config.remoteUser, undefined, changes.maxEntryAgeMs);
  const identityChanges = changes.share('identities', {
    forget: (keys) => identityCache.forget(keys.map(hashFromKey)),
    clear: () => identityCache.clear(),
    setTrusted: (trusted) => identityCache.setTrusted(trusted),
  });
  // The resolver reads `services`, built below, only when a token is first seen.
  const bearerCache = new BearerTokenCache((token, host, now) => bearerIdentity(services, token, host, now));
  const bearerChanges = changes.share('bearerTokens', bearerCache);
  const bearerTokens: Services['bearerTokens'] = { get: (token, host, now) => bearerCache.get(token, host, now), clear: () => bearerChanges.clear() };
  const identities: Services['identities'] = {
    get: (token) => identityCache.get(token),
    counts: () => identityCache.counts(),
    forget: (tokenHashes) => identityChanges.forget(tokenHashes.map(keyFromHash)),
    // People, roles, permissions or clients changed: what a Bearer token stands for may have too.
    clear: () => {
      identityChanges.clear();
      bearerTokens.clear();
    },
  };
  sessions.onChanged((tokenHashes) => identities.forget(tokenHashes));
  sessions.onGrantsEnded(() => bearerTokens.clear());
  // Keys another instance added (a rotation, the first key of an alg) verify here at once.
  const signingKeys: SigningKeys = new SigningKeys({ db: deps.database.db, issuer: deps.config.issuer, now: deps.now, rotationDelayMs: deps.config.keyRotationDelayMs, onChanged: () => keyChanges.clear() });
  const keyChanges = changes.share('signing-keys', { forget: () => signingKeys.reload(), clear: () => signingKeys.reload(), setTrusted: () => {} });
  metrics.readOnScrape({ liveSessions: () => sessions.countLive(deps.now()), identityCacheCounts: () => identities.counts() });
  const limiter = (name: LimiterName, perMinute: number): RateLimiter => countingRefusals(rateLimiter(perMinute, MINUTE), () => metrics.rateLimitRefused(name));
  const services: Services = {
    ...deps,
    log,
    metrics,
    sessions,
    identities,
    bearerTokens,
    changes,
    leader,
    identityQueries: queries,
    clientIp: (c) => resolveIp(c.env?.incoming?.socket.remoteAddress, c.req.header('x-forwarded-for')),
    resolveClientIp: resolveIp,
    isTrustedProxy,
    hostOf: (c) => hostWithoutPort(c.req.header('host') ?? ''),
    untrustedProxies: untrustedProxyWatch({ isTrusted: isTrustedProxy, now: deps.now, log: (line) => log.warn(line) }),
    signingKeys,
    limits: {
      ceremonies: limiter('ceremonies', rates.ceremoniesPerMinute),
      secrets: limiter('secrets', rates.secretsPerMinute),
    },
  };
  return services;
}

/** The same limiter, telling `onRefused` of every refusal (for the metrics). */
function countingRefusals(limiter: RateLimiter, onRefused: () => void): RateLimiter {
  return {
    take(keys, now) {
      const allowed = limiter.take(keys, now);
      if (!allowed) onRefused();
      return allowed;
    },
  };
}
