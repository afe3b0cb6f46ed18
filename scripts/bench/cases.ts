/**
 * The cases: which requests each sends, to which server, what each must answer, and
 * which tokens the forward cases cycle through (which decides what the big database
 * must hash when it is seeded).
 */
import { IDENTITY_CACHE_ENTRIES } from '../../server/forward/identityCache.js';
import type { LoadRun, RequestSpec } from './load.js';
import type { CeremonyPlan } from './ceremonies.js';
import type { RssFigures } from './memory.js';
import type { CheckedResponse } from './request.js';
import type { BenchOptions } from './options.js';
import { PERM, type SeededDatabase } from './seed.js';
import type { RunningServer } from './servers.js';
import { HOST, markAddressed, strideFor, type TokenSet } from './tokens.js';
import { Fatal } from './workspace.js';

export const ALL_CASES = [
  'baseline',
  'baseline-headers',
  'forward',
  'forward-bearer',
  'forward-nocookie',
  'validate',
  'forward-1m',
  'forward-1m-miss',
  'forward-pg',
  'forward-pg-miss',
  'ceremony',
] as const;
export type CaseId = (typeof ALL_CASES)[number];

/** Informational cases that --quick leaves out. */
const NOT_IN_QUICK: readonly CaseId[] = ['baseline-headers', 'forward-1m-miss', 'forward-pg-miss'];
const SMALL_DB_CASES: readonly CaseId[] = ['forward', 'forward-bearer', 'forward-nocookie', 'validate'];
/** The PostgreSQL cases run on a copy of the big database. */
export const POSTGRES_CASES: readonly CaseId[] = ['forward-pg', 'forward-pg-miss'];
const BIG_DB_CASES: readonly CaseId[] = ['forward-1m', 'forward-1m-miss', ...POSTGRES_CASES];

/** A case of HTTP requests, loaded by wrk or autocannon. */
export interface HttpCaseSpec extends RequestSpec {
  kind?: 'http';
  id: CaseId;
  /** The status every response must have. */
  expect: number;
  /** Checks the first response in full: null when it is right, else what is wrong. */
  check?: (response: CheckedResponse) => string | null;
  /** Requests to make before measuring, when a case means something only once the identity cache is full. */
  warmRequests?: number;
}

/** Passkey sign-ins over WebSocket, loaded by ceremonyLoad.ts; every one must end in `success`. */
export interface CeremonyCaseSpec {
  kind: 'ceremony';
  id: CaseId;
  expect: 'success';
  ceremony: CeremonyPlan;
}

export type CaseSpec = HttpCaseSpec | CeremonyCaseSpec;

/** One measured run of a case, with what the server spent and whether every answer was right. */
export interface MeasuredRun extends LoadRun {
  rps: number;
  /** Server CPU µs per request, or null off Linux. */
  cpuPerRequest: number | null;
  /** The server's resident memory during the run, or null off Linux. */
  rss: RssFigures | null;
  /** Responses with another status than expected. */
  unexpected: number;
  ok: boolean;
  alive: boolean;
}

export interface Case {
  id: CaseId;
  label: string;
  server: RunningServer;
  spec: CaseSpec;
  /** One per round. */
  runs: MeasuredRun[];
}

/**
 * The cases asked for with --cases, or the default set.
 * @throws Fatal naming unknown cases
 */
export function selectCases({ cases, quick }: BenchOptions): CaseId[] {
  if (!cases) return ALL_CASES.filter((id) => !(quick && NOT_IN_QUICK.includes(id)));
  const names = cases.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(ALL_CASES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Fatal(`unknown case(s) ${unknown.join(', ')}; choose from ${ALL_CASES.join(', ')}`);
  return names as CaseId[];
}

export const needsBaseline = (cases: readonly CaseId[]): boolean => cases.some((id) => id.startsWith('baseline'));
export const needsSmallDatabase = (cases: readonly CaseId[]): boolean => cases.some((id) => SMALL_DB_CASES.includes(id));
export const needsBigDatabase = (cases: readonly CaseId[]): boolean => cases.some((id) => BIG_DB_CASES.includes(id));
export const needsCeremonyDatabase = (cases: readonly CaseId[]): boolean => cases.includes('ceremony');

type Spread = Pick<TokenSet, 'count' | 'stride'>;

/** The big database's token sets, and which of its sessions they address (null without big-database cases). */
export interface BigTokens {
  /** forward-1m: --tokens tokens spread over all sessions (so over as many users). */
  forward: Spread;
  /**
   * forward-1m-miss: more distinct tokens than the identity cache holds: with its
   * least-recently-used eviction (and even spacing between load threads) every request misses.
   */
  miss: Spread;
  addressed: Uint8Array | null;
}

export function planBigTokens({ tokenCount, bigSessions }: BenchOptions, cases: readonly CaseId[]): BigTokens {
  const spread = (count: number): Spread => ({ count, stride: strideFor(count, bigSessions) });
  const forward = spread(Math.min(tokenCount, bigSessions));
  const miss = spread(Math.min(bigSessions, 2 * IDENTITY_CACHE_ENTRIES));
  if ((cases.includes('forward-1m-miss') || cases.includes('forward-pg-miss')) && miss.count <= IDENTITY_CACHE_ENTRIES) {
    console.warn(`bench: warning: only ${bigSessions} sessions: the cache-miss case will hit the cache`);
  }
  let addressed: Uint8Array | null = null;
  if (needsBigDatabase(cases)) {
    addressed = new Uint8Array(bigSessions);
    if (cases.includes('forward-1m') || cases.includes('forward-pg')) markAddressed(addressed, { ...forward, modulo: bigSessions });
    if (cases.includes('forward-1m-miss') || cases.includes('forward-pg-miss')) markAddressed(addressed, { ...miss, modulo: bigSessions });
  }
  return { forward, miss, addressed };
}

/** What a proxy asks before a request to an app that needs PERM (cookie added per case). */
const FORWARD_REQUEST = { method: 'GET', path: `/auth/api/forward?perm=${PERM}`, headers: { Host: HOST, Accept: '*/*' } };

function forwardSpec(id: CaseId, db: SeededDatabase, { count, stride }: Spread): HttpCaseSpec {
  return {
    id,
    ...FORWARD_REQUEST,
    tokens: { salt: db.salt, count, stride, modulo: db.sessions, cursor: 0 },
    expect: 204,
    check: ({ headers }) =>
      headers['remote-user'] !== undefined && typeof headers['remote-groups'] === 'string' && headers['remote-groups'].split(',').includes(PERM)
        ? null
        : `expected Remote-User and Remote-Groups containing ${PERM}, got ${JSON.stringify(headers)}`,
  };
}

/** The running servers, each with what the cases need to know of its database. */
export interface ServersUnderTest {
  baseline: RunningServer | null;
  /** `bearerToken`: a client-credentials access token for forward-bearer (null when that case does not run). */
  small: { db: SeededDatabase; server: RunningServer; bearerToken: string | null } | null;
  big: { db: SeededDatabase; server: RunningServer; tokens: BigTokens } | null;
  /** The built server on PostgreSQL, on a copy of the big database (same rows, same tokens). */
  postgres: RunningServer | null;
  /** The server of the ceremony case, on a database holding one person per passkey. */
  ceremony: { server: RunningServer; plan: CeremonyPlan } | null;
}

/** The selected cases, in the order of ALL_CASES, each with its server and requests. */
export function planCases(cases: readonly CaseId[], tokenCount: number, { baseline, small, big, postgres, ceremony }: ServersUnderTest): Case[] {
  const plan: Case[] = [];
  const add = (server: RunningServer, spec: CaseSpec, label: string) => {
    if (cases.includes(spec.id)) plan.push({ id: spec.id, label, server, spec, runs: [] });
  };
  // The baselines get the very request the forward case sends (path, Accept, a cookie from
  // the same number of distinct tokens), so that request parsing costs the same on both sides.
  const sameRequest = () => ({
    ...FORWARD_REQUEST,
    tokens: { salt: 'b'.repeat(31), count: tokenCount, stride: 1, modulo: tokenCount, cursor: 0 },
    expect: 204,
  });
  if (baseline) {
    add(baseline, { id: 'baseline', ...sameRequest() }, 'baseline: bare node:http 204');
    add(
      baseline,
      { ...sameRequest(), id: 'baseline-headers', path: `${FORWARD_REQUEST.path}&with=headers`, check: (response) => (response.headers['remote-user'] ? null : 'no Remote-User header') },
      'node:http 204 + the 10 headers of a forward answer (informational)',
    );
  }
  if (small) {
    add(small.server, forwardSpec('forward', small.db, { count: tokenCount, stride: 1 }), `forward, valid session + perm (${tokenCount.toLocaleString('en')} tokens)`);
    if (small.bearerToken !== null) {
      const { tokens: _cookies, ...request } = forwardSpec('forward-bearer', small.db, { count: 1, stride: 1 });
      add(small.server, { ...request, headers: { ...FORWARD_REQUEST.headers, Authorization: `Bearer ${small.bearerToken}` } }, 'forward, Bearer access token (client credentials) + perm, no cookie');
    }
    add(
      small.server,
      {
        id: 'forward-nocookie',
        ...FORWARD_REQUEST,
        expect: 401,
        check: (response) => (JSON.parse(response.body)?.auth?.mode === 'login' ? null : `expected a JSON body with auth.mode login, got ${response.body.slice(0, 200)}`),
      },
      'forward, no cookie (401 JSON)',
    );
    add(
      small.server,
      {
        id: 'validate',
        method: 'POST',
        path: '/auth/api/validate?renew=0',
        headers: { Host: HOST, 'Content-Length': '0' },
        tokens: { salt: small.db.salt, count: tokenCount, stride: 1, modulo: small.db.sessions, cursor: 0 },
        expect: 200,
        check: (response) => {
          const body = JSON.parse(response.body);
          return body.valid === true && body.renewed === false ? null : `expected valid:true renewed:false, got ${response.body.slice(0, 200)}`;
        },
      },
      'POST validate?renew=0, valid session',
    );
  }
  if (big) {
    const sessions = big.db.sessions.toLocaleString('en');
    // The same two cases on each backend holding the big database's rows.
    const addBig = (server: RunningServer, [hit, miss]: readonly [CaseId, CaseId], where: string) => {
      // Warmed until every token has been seen once: on PostgreSQL a miss costs a round trip, and the warm-up alone may not load them all.
      add(server, { ...forwardSpec(hit, big.db, big.tokens.forward), warmRequests: big.tokens.forward.count }, `forward, ${sessions} sessions ${where} (${big.tokens.forward.count.toLocaleString('en')} tokens)`);
      add(
        server,
        { ...forwardSpec(miss, big.db, big.tokens.miss), warmRequests: Math.round(1.2 * IDENTITY_CACHE_ENTRIES) },
        `forward, ${sessions} sessions ${where}, every request a cache miss (${big.tokens.miss.count.toLocaleString('en')} tokens)`,
      );
    };
    addBig(big.server, ['forward-1m', 'forward-1m-miss'], 'DB');
    if (postgres) addBig(postgres, ['forward-pg', 'forward-pg-miss'], 'on PostgreSQL');
  }
  if (ceremony) {
    add(
      ceremony.server,
      { kind: 'ceremony', id: 'ceremony', expect: 'success', ceremony: ceremony.plan },
      `passkey sign-in over WebSocket, ES256 (${ceremony.plan.passkeys.length} clients; per second and per ceremony)`,
    );
  }
  return plan;
}
