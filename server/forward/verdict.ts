/**
 * The forward-auth decision, apart from any transport: the verdict on a session
 * identity and a parsed query, the ways of saying no, the query parser cache and the
 * identity lookup. Forward auth (the node:http handler in ./forward.ts) and
 * `POST /auth/api/validate` both decide with these.
 */
import { LRUCache } from 'lru-cache';
import type { Services } from '../services.js';
import type { View } from '../../shared/views.js';
import type { ForwardMode } from '../../shared/pageMeta.js';
import { isLiveOn } from '../sessions/liveness.js';
import { parseForwardQuery, satisfies, type ParsedQuery } from './permQuery.js';
import type { Identity } from './identity.js';
import type { MaybePromise } from '../db/identity.js';

/** The ways of saying no; a browser's page learns which from its meta tag. */
export type DenyMode = ForwardMode;

/** Each way of saying no: the status, the message, and the view a browser gets. */
export const DENIALS: Record<DenyMode, { status: number; detail: string; view: View }> = {
  login: { status: 401, detail: 'Not signed in on this host', view: 'main' },
  reauth: { status: 401, detail: 'Sign-in is too old for this page: use your passkey again', view: 'main' },
  forbidden: { status: 403, detail: 'Signed in, but without the permission this page needs', view: 'restricted' },
};

/** The verdict for one request; pure, so that validate can share it. */
export type Verdict = { allow: true; identity: Identity } | { allow: false; mode: DenyMode; identity: Identity | null };

/** Decides a request from its session identity and query. */
export function judge(identity: Identity | null, host: string, query: ParsedQuery & { ok: true }, now: number): Verdict {
  if (!identity || !isLiveOn(identity, host, now)) return { allow: false, mode: 'login', identity: null };
  if (query.query.maxAgeMs !== null && now - identity.authenticatedAt > query.query.maxAgeMs) return { allow: false, mode: 'reauth', identity };
  if (!satisfies(query.query, identity.scopes)) return { allow: false, mode: 'forbidden', identity };
  return { allow: true, identity };
}

const MAX_CACHED_QUERIES = 1000;

/** Parses forward/validate queries, remembering the most recent distinct query texts (proxies repeat the same few). */
export function cachedQueryParser(): (raw: string) => ParsedQuery {
  const cache = new LRUCache<string, ParsedQuery>({ max: MAX_CACHED_QUERIES });
  return (raw) => {
    let parsed = cache.get(raw);
    if (!parsed) {
      parsed = parseForwardQuery(raw);
      cache.set(raw, parsed);
    }
    return parsed;
  };
}

/** The identity behind a session token (when there is one), through the cache: at once, or on PostgreSQL's miss a Promise. */
export function identityOf(services: Services, token: string | null): MaybePromise<Identity | null> {
  return token ? services.identities.get(token) : null;
}
