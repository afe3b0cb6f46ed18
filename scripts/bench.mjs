#!/usr/bin/env node
/**
 * Forward-auth benchmark (`npm run bench`; docs/benchmarks.md has results and method).
 *
 * Needs the built server in dist/ (`npm run build`); builds nothing itself. Seeds
 * temporary SQLite databases directly (no browser): first-start migrations and
 * bootstrap from dist/, then a credential, the permission `app:read` and sessions
 * whose tokens it knows. Starts, on 127.0.0.1, a bare node:http 204 server (the
 * baseline) and the built server, loads one case at a time with wrk (or autocannon
 * when wrk is missing), checks every response's status, prints a table and the
 * targets. Child processes and temporary files go away on exit or signal.
 *
 *   npm run bench                      full run, 10 s per case
 *   npm run bench -- --quick           smoke run (~2 s cases, 1M database shrunk); for CI
 *   npm run bench -- --duration 30     longer cases
 *   npm run bench -- --cases forward --cpu-prof /tmp/prof   profile the server under forward load
 *
 * Exit status: 1 when a case got unexpected status codes or socket errors, or a
 * server failed; performance targets are reported (PASS/MISS), never fatal.
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto, { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const HOST = 'localhost'; // the host every request names; sessions are for it; cookie name there: passkey-auth
const COOKIE_NAME = 'passkey-auth';
const PERM = 'app:read';
const IDENTITY_CACHE_ENTRIES = 100_000; // server/forward/identityCache.ts default

const USAGE = `Usage: npm run bench -- [options]

  --duration N       whole seconds per measured case (default 10; --quick: 2)
  --warmup N         whole seconds of unmeasured load before each case, 0 for none
                     (default 2; --quick: 1)
  --quick            smoke run (~20 s): 2 s cases, the 1M database shrunk to 20,000
                     sessions / 2,000 users, no baseline-headers or cache-miss case
  --connections N    concurrent connections (default 50)
  --tool wrk|autocannon   load generator (default wrk when on PATH, else autocannon)
  --threads N        wrk threads (default 1)
  --no-pin           do not pin server and load generator to separate CPUs with taskset
  --cases LIST       comma-separated subset of baseline, baseline-headers, forward,
                     forward-nocookie, validate, forward-1m, forward-1m-miss (default all;
                     --quick: all but baseline-headers and forward-1m-miss)
  --sessions N       sessions in the big database (default 1000000)
  --users N          users in the big database (default 100000)
  --tokens N         distinct session tokens cycled by the forward cases (default 10000)
  --rounds N         measure every case N times, interleaved, and report each case's
                     median round (default 1)
  --node-arg FLAG    extra flag for node running the built server; repeatable
                     (e.g. --node-arg=--max-semi-space-size=32)
  --cpu-prof DIR     run the servers (baseline included) with --cpu-prof into DIR and
                     summarise where each spent its time
  -h, --help         this text
`;

// ---------------------------------------------------------------- options

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      quick: { type: 'boolean', default: false },
      connections: { type: 'string', default: '50' },
      tool: { type: 'string' },
      threads: { type: 'string', default: '1' },
      'no-pin': { type: 'boolean', default: false },
      cases: { type: 'string' },
      sessions: { type: 'string' },
      users: { type: 'string' },
      tokens: { type: 'string', default: '10000' },
      rounds: { type: 'string', default: '1' },
      'node-arg': { type: 'string', multiple: true, default: [] },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }));
} catch (error) {
  process.stderr.write(`bench: ${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const positive = (name, text) => {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`bench: --${name} must be a positive number, got "${text}"\n`);
    process.exit(2);
  }
  return value;
};
const quick = options.quick;
// Whole seconds: wrk takes no fractions.
const durationS = Math.max(1, Math.round(positive('duration', options.duration ?? (quick ? '2' : '10'))));
const warmupS = options.warmup === '0' ? 0 : Math.max(1, Math.round(positive('warmup', options.warmup ?? (quick ? '1' : '2'))));
const connections = Math.round(positive('connections', options.connections));
const wrkThreads = Math.round(positive('threads', options.threads));
const bigSessions = Math.round(positive('sessions', options.sessions ?? (quick ? '20000' : '1000000')));
const bigUsers = Math.round(positive('users', options.users ?? (quick ? '2000' : '100000')));
const tokenCount = Math.round(positive('tokens', options.tokens));
const rounds = Math.round(positive('rounds', options.rounds));
const cpuProfDir = options['cpu-prof'] ? resolve(options['cpu-prof']) : null;
const profileFiles = []; // written by the built servers when they exit

const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const tool = options.tool ?? (onPath('wrk') ? 'wrk' : 'autocannon');
if (tool !== 'wrk' && tool !== 'autocannon') {
  process.stderr.write(`bench: --tool must be wrk or autocannon, got "${tool}"\n`);
  process.exit(2);
}
if (tool === 'wrk' && !onPath('wrk')) {
  process.stderr.write('bench: wrk is not on PATH (Debian: apt-get install wrk); use --tool autocannon\n');
  process.exit(2);
}
const pin = !options['no-pin'] && cpus().length >= 2 && onPath('taskset');

// ---------------------------------------------------------------- cleanup

const children = new Set();
const tmp = mkdtempSync(join(tmpdir(), 'passkey-auth-bench-'));
let cleanedUp = false;
function cleanupSync() {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping\n`);
    cleanupSync();
    process.exit(130);
  });
}

class Fatal extends Error {}

// ---------------------------------------------------------------- dist/ check

function requireDist() {
  const needed = ['server/main.js', 'server/db/database.js', 'server/bootstrap/bootstrap.js', 'spa'].map((file) => join(DIST, file));
  const missing = needed.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Fatal(`dist/ is missing or incomplete (${missing.map((file) => file.slice(ROOT.length + 1)).join(', ')}): run \`npm run build\` first`);
  }
  // A stale build benchmarks old code: warn when a server source is newer than the build.
  const built = statSync(join(DIST, 'server/main.js')).mtimeMs;
  const newest = (dir) =>
    readdirSync(join(ROOT, dir), { recursive: true })
      .filter((name) => String(name).endsWith('.ts') && !String(name).endsWith('.test.ts'))
      .reduce((latest, name) => Math.max(latest, statSync(join(ROOT, dir, String(name))).mtimeMs), 0);
  if (Math.max(newest('server'), newest('shared')) > built) {
    console.warn('bench: warning: server/ or shared/ has sources newer than dist/: run `npm run build` to measure the current code');
  }
}

// ---------------------------------------------------------------- databases

/** The token of session `index` in a seeded database: 43 characters, like a real one. */
const tokenOf = (salt, index) => salt + String(index).padStart(12, '0');
const sha256 = crypto.hash ? (text) => crypto.hash('sha256', text, 'buffer') : (text) => createHash('sha256').update(text).digest();
const newSalt = () => randomBytes(24).toString('base64url').slice(0, 31);

/**
 * UUID-shaped ids that sort in creation order, as the server's UUIDv7 ids do (a random
 * prefix, then a counter): B-tree inserts append, which keeps seeding 1M rows fast.
 */
function idGenerator() {
  const prefix = randomUUID().slice(0, 24);
  let next = 0;
  return () => prefix + (next++).toString(16).padStart(12, '0');
}

/** Which sessions a token set addresses: token k is session (k * stride) mod modulo. */
function markAddressed(flags, { count, stride, modulo }) {
  for (let k = 0; k < count; k++) flags[(k * stride) % modulo] = 1;
}

/**
 * Creates a database at `path` the way the server's first start does (migrations and
 * bootstrap, imported from dist/), then inserts directly with better-sqlite3 in one
 * transaction: `app:read` granted to the org and the Administrator role, `users - 1`
 * more users in that org and role, one credential per user, and `sessions` sessions on
 * HOST, grouped by user (session i belongs to user floor(i * users / sessions), so the
 * Admin has the first ones). Session i's token is tokenOf(salt, i); only the sessions
 * flagged in `addressed` (all when null) get sha256(token) as token_hash, the others a
 * random one: nobody presents their cookies, and hashing 1M tokens would double the seeding time.
 */
async function seedDatabase(path, { users, sessions, salt, label, addressed = null }) {
  const started = performance.now();
  const { openDatabase } = await import(pathToFileURL(join(DIST, 'server/db/database.js')).href);
  const { bootstrap } = await import(pathToFileURL(join(DIST, 'server/bootstrap/bootstrap.js')).href);
  const database = await openDatabase(path);
  await bootstrap(database.db, Date.now());
  await database.close();

  const { default: BetterSqlite3 } = await import('better-sqlite3');
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('foreign_keys = OFF'); // consistent by construction; the server turns them back on
  sqlite.pragma('cache_size = -524288'); // 512 MiB: the B-trees stay in memory during the load
  const admin = sqlite.prepare(`select id, org_id, role_id from users where display_name = 'Admin'`).get();
  if (!admin) throw new Fatal('bootstrap did not create the Admin user (schema changed?)');
  const now = Date.now();
  const expires = now + 6 * 24 * 60 * 60 * 1000; // within the 7-day idle limit
  const insertUser = sqlite.prepare('insert into users (id, display_name, org_id, role_id, created_at, last_seen_at) values (?, ?, ?, ?, ?, null)');
  const insertCredential = sqlite.prepare(
    `insert into credentials (id, user_id, credential_id, public_key, sign_count, transports, aaguid, backup_eligible, backup_state, created_at, last_used_at)
     values (?, ?, ?, ?, 0, '["internal"]', '00000000-0000-0000-0000-000000000000', 1, 1, ?, null)`,
  );
  const insertSession = sqlite.prepare(
    `insert into sessions (id, token_hash, user_id, credential_id, host, ip, user_agent, created_at, last_seen_at, authenticated_at, expires_at)
     values (?, ?, ?, ?, ?, '127.0.0.1', 'passkey-auth bench', ?, ?, ?, ?)`,
  );
  const publicKey = randomBytes(77); // never verified here
  const unaddressedHashes = addressed ? randomBytes(32 * sessions) : null;
  const userId = idGenerator();
  const credentialId = idGenerator();
  const sessionId = idGenerator();
  const userIds = [admin.id];
  const credentialIds = [];
  sqlite.transaction(() => {
    const permissionId = randomUUID();
    sqlite.prepare('insert into permissions (id, scope, display_name, domain, created_at) values (?, ?, ?, null, ?)').run(permissionId, PERM, 'Benchmark app', now);
    sqlite.prepare('insert into org_permissions (org_id, permission_id) values (?, ?)').run(admin.org_id, permissionId);
    sqlite.prepare('insert into role_permissions (role_id, permission_id) values (?, ?)').run(admin.role_id, permissionId);
    for (let i = 1; i < users; i++) {
      const id = userId();
      insertUser.run(id, `Bench user ${i}`, admin.org_id, admin.role_id, now);
      userIds.push(id);
    }
    for (let i = 0; i < users; i++) {
      const id = credentialId();
      insertCredential.run(id, userIds[i], Buffer.from(`bench-credential-${i}`), publicKey, now);
      credentialIds.push(id);
    }
    for (let i = 0; i < sessions; i++) {
      const user = Math.floor((i * users) / sessions);
      const tokenHash = !addressed || addressed[i] ? sha256(tokenOf(salt, i)) : unaddressedHashes.subarray(32 * i, 32 * i + 32);
      insertSession.run(sessionId(), tokenHash, userIds[user], credentialIds[user], HOST, now, now, now, expires);
    }
  })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
  const seconds = (performance.now() - started) / 1000;
  const bytes = statSync(path).size;
  console.log(
    `seeded ${label}: ${users.toLocaleString('en')} users, ${sessions.toLocaleString('en')} sessions ` +
      `in ${seconds.toFixed(1)} s (file ${(bytes / 2 ** 20).toFixed(0)} MiB)`,
  );
  return { path, salt, sessions, adminId: admin.id, seconds, bytes };
}

// ---------------------------------------------------------------- servers

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Spawns `node args`, pinned to CPU 0 when pinning; resolves once stdout shows `ready`. */
function startChild(label, nodeArgs, ready) {
  const command = pin ? 'taskset' : process.execPath;
  const args = pin ? ['-c', '0', process.execPath, ...nodeArgs] : nodeArgs;
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  let isReady = false;
  child.stderr.setEncoding('utf8').on('data', (text) => (stderr = (stderr + text).slice(-8000)));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Fatal(`${label} did not start within 30 s\n${stderr}`)), 30_000);
    child.stdout.setEncoding('utf8').on('data', (text) => {
      // Denied forward decisions are logged to stdout: keep draining it, keep only the start.
      if (isReady) return;
      stdout += text;
      if (ready.test(stdout)) {
        isReady = true;
        clearTimeout(timer);
        resolveStart({
          child,
          label,
          pid: child.pid,
          alive: () => child.exitCode === null && child.signalCode === null,
          stderr: () => stderr,
          stop: () => stopChild(child),
        });
      }
    });
    child.once('exit', (code, signal) => {
      children.delete(child);
      if (!isReady) {
        clearTimeout(timer);
        reject(new Fatal(`${label} exited before it was ready (${signal ?? `code ${code}`})\n${stdout}${stderr}`));
      }
    });
  });
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill('SIGTERM');
  });
}

// Answers a bare 204 to anything; a URL ending in `&with=headers` gets the ten headers a
// forward answer carries (same names, values of the same length), to separate header cost.
const BASELINE_SOURCE = `
const { createServer } = require('node:http');
const { randomUUID } = require('node:crypto');
const headers = [
  'Remote-User', randomUUID(), 'Remote-Name', 'Admin', 'Remote-Org', randomUUID(), 'Remote-Org-Name', 'Main organisation',
  'Remote-Role', randomUUID(), 'Remote-Role-Name', 'Administrator', 'Remote-Groups', 'app:read,auth:admin',
  'Remote-Session-Expires', new Date().toISOString(), 'Remote-Credential', randomUUID(), 'Cache-Control', 'no-store',
];
const server = createServer((req, res) => {
  if (req.url.endsWith('&with=headers')) res.writeHead(204, headers);
  else res.writeHead(204);
  res.end();
});
server.keepAliveTimeout = 65000;
server.listen(Number(process.argv[1]), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));
`;

/** node flags that write a CPU profile of the server named `label` when --cpu-prof asks for one. */
function profileArgs(label) {
  if (!cpuProfDir) return [];
  const profileName = `${label}.${Date.now()}.cpuprofile`;
  profileFiles.push(join(cpuProfDir, profileName));
  return ['--cpu-prof', '--cpu-prof-dir', cpuProfDir, '--cpu-prof-name', profileName];
}

async function startBaseline() {
  const port = await freePort();
  const server = await startChild('baseline node:http server', [...profileArgs('baseline'), '-e', BASELINE_SOURCE, String(port)], /ready/);
  return { ...server, port };
}

async function startAuthServer(db, label) {
  const port = await freePort();
  const args = [...options['node-arg'], ...profileArgs(label), 'dist/server/main.js', '--listen', `127.0.0.1:${port}`, '--db', db.path, '--origin', `http://localhost:${port}`];
  const server = await startChild(`passkey-auth (${label})`, args, /listening on /);
  return { ...server, port };
}

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 nearly everywhere). */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/**
 * CPU time (user + system) a process has used so far, in µs, or null off Linux. Per
 * request, it is steadier than req/s on a shared VM: time the hypervisor gives to
 * other guests is not charged to the process.
 */
function cpuMicros(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields 3… of proc(5); utime, stime are 14, 15
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- one request, checked in full

function once(port, { method, path, headers }) {
  return new Promise((resolveResponse, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk) => (body += chunk));
      res.on('end', () => resolveResponse({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

// ---------------------------------------------------------------- load generators

/**
 * A case's requests: `method path`, fixed headers, and optionally a session cookie
 * cycling through `tokens.count` distinct tokens: token k is tokenOf(salt, (k * stride) mod modulo).
 * `tokens.cursor` carries k from one load run to the next (warm-up, rounds), so that
 * the cycle continues instead of restarting at the tokens just cached.
 */
function cookieFor(tokens, k) {
  return `${COOKIE_NAME}=${tokenOf(tokens.salt, (k * tokens.stride) % tokens.modulo)}`;
}

const luaString = (text) => JSON.stringify(text); // a JSON string literal is a valid Lua literal for ASCII

/** wrk script: pre-built request text, per-thread token cursor, exact status counts, JSON summary. */
function wrkScript(spec) {
  const head = `${spec.method} ${spec.path} HTTP/1.1\r\n` + Object.entries(spec.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  const tokens = spec.tokens;
  return `-- generated by scripts/bench.mjs
local head = ${luaString(head)}
local fixed = head .. "\\r\\n"
local count = ${tokens ? tokens.count : 0}
local stride, modulo = ${tokens ? tokens.stride : 0}, ${tokens ? tokens.modulo : 1}
local cookie = ${luaString(`Cookie: ${COOKIE_NAME}=${tokens ? tokens.salt : ''}`)}
local threads = {}
local nthreads = ${wrkThreads}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  k = (${tokens ? tokens.cursor ?? 0 : 0} + math.floor(tid * count / nthreads)) % math.max(count, 1)
end

function request()
  if count == 0 then return fixed end
  local index = (k * stride) % modulo
  k = k + 1
  if k >= count then k = 0 end
  return head .. cookie .. string.format("%012d", index) .. "\\r\\n\\r\\n"
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local codes = {}
  for _, thread in ipairs(threads) do
    local counted = thread:get("statuses")
    if counted then
      for code, n in pairs(counted) do codes[code] = (codes[code] or 0) + n end
    end
  end
  local parts = {}
  for code, n in pairs(codes) do table.insert(parts, string.format('"%d":%d', code, n)) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"meanUs":%f,"maxUs":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},"statuses":{%s}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.mean, latency.max,
    e.connect, e.read, e.write, e.timeout, table.concat(parts, ",")))
end
`;
}

async function runWrk(port, spec, seconds) {
  const script = join(tmp, `wrk-${spec.id}.lua`);
  writeFileSync(script, wrkScript(spec));
  const wrkArgs = ['-t', String(wrkThreads), '-c', String(connections), '-d', `${seconds}s`, '--timeout', '5s', '-s', script, `http://127.0.0.1:${port}/`];
  const command = pin ? 'taskset' : 'wrk';
  const args = pin ? ['-c', '1', 'wrk', ...wrkArgs] : wrkArgs;
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
  const code = await new Promise((done) => child.once('exit', (exitCode) => done(exitCode)));
  children.delete(child);
  const line = stdout.split('\n').find((text) => text.startsWith('BENCH_RESULT '));
  if (code !== 0 || !line) throw new Fatal(`wrk failed (exit ${code}) for ${spec.id}\n${stdout}${stderr}`);
  const result = JSON.parse(line.slice('BENCH_RESULT '.length));
  if (spec.tokens) spec.tokens.cursor = ((spec.tokens.cursor ?? 0) + Math.round((result.requests + connections) / wrkThreads)) % spec.tokens.count; // + in-flight ones
  return {
    requests: result.requests,
    seconds: result.durationUs / 1e6,
    p50: result.p50Us / 1000,
    p99: result.p99Us / 1000,
    errors: Object.values(result.errors).reduce((sum, n) => sum + n, 0),
    errorDetail: result.errors,
    statuses: result.statuses,
  };
}

async function runAutocannon(port, spec, seconds) {
  const { default: autocannon } = await import('autocannon');
  let k = spec.tokens?.cursor ?? 0;
  const request = { method: spec.method, path: spec.path, headers: { ...spec.headers } };
  if (spec.tokens) {
    const { tokens } = spec;
    request.setupRequest = (req) => {
      req.headers = { ...req.headers, cookie: cookieFor(tokens, k) };
      k = k + 1 === tokens.count ? 0 : k + 1;
      return req;
    };
  }
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    timeout: 5,
    requests: [request],
    excludeErrorStats: false, // latencies of 401s count too
  });
  if (spec.tokens) spec.tokens.cursor = k;
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]));
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    errorDetail: { errors: result.errors, timeouts: result.timeouts },
    statuses,
  };
}

const load = (port, spec, seconds) => (tool === 'wrk' ? runWrk(port, spec, seconds) : runAutocannon(port, spec, seconds));

// ---------------------------------------------------------------- cases

/** What a proxy asks before a request to an app that needs PERM (cookie added per case). */
const FORWARD_REQUEST = { method: 'GET', path: `/auth/api/forward?perm=${PERM}`, headers: { Host: HOST, Accept: '*/*' } };

function forwardSpec(db, { count, stride }) {
  return {
    ...FORWARD_REQUEST,
    tokens: { salt: db.salt, count, stride, modulo: db.sessions },
    expect: 204,
    /** A full response for the first token, checked before loading. */
    check: (response) =>
      response.headers['remote-user'] !== undefined && response.headers['remote-groups']?.split(',').includes(PERM)
        ? null
        : `expected Remote-User and Remote-Groups containing ${PERM}, got ${JSON.stringify(response.headers)}`,
  };
}

/** Stride for spreading `count` tokens over `modulo` sessions; coprime to modulo so every index is distinct. */
function strideFor(count, modulo) {
  const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));
  let stride = Math.max(1, Math.floor(modulo / count));
  while (gcd(stride, modulo) !== 1) stride++;
  return stride;
}

const ALL_CASES = ['baseline', 'baseline-headers', 'forward', 'forward-nocookie', 'validate', 'forward-1m', 'forward-1m-miss'];

function selectedCases() {
  let cases = options.cases ? options.cases.split(',').map((name) => name.trim()).filter(Boolean) : ALL_CASES.filter((name) => !(quick && ['baseline-headers', 'forward-1m-miss'].includes(name)));
  const unknown = cases.filter((name) => !ALL_CASES.includes(name));
  if (unknown.length > 0) throw new Fatal(`unknown case(s) ${unknown.join(', ')}; choose from ${ALL_CASES.join(', ')}`);
  return cases;
}

// ---------------------------------------------------------------- profile summary

/** Self and inclusive time per function from V8 .cpuprofile files. */
function summariseProfile(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const keyOf = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(pathToFileURL(ROOT).href + '/', '').replace(/^node:/, 'node:')}:${lineNumber + 1}` : '';
    return `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
  };
  const self = new Map();
  const inclusive = new Map();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = nodes.get(id);
    total += dt;
    if (node.callFrame.functionName === '(idle)') idle += dt;
    const key = keyOf(node);
    self.set(key, (self.get(key) ?? 0) + dt);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const k = keyOf(nodes.get(at));
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  });
  const busy = total - idle;
  const pct = (us) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const top = (map, n, filter = () => true) =>
    [...map].filter(([key]) => filter(key)).sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(`\nCPU profile ${file}`);
  console.log(`  ${(total / 1e6).toFixed(1)} s sampled, ${(idle / 1e6).toFixed(1)} s idle; percentages are of the ${(busy / 1e6).toFixed(1)} s busy`);
  console.log('  top self time:');
  for (const [key, us] of top(self, 25, (key) => !key.startsWith('(idle)'))) console.log(`    ${pct(us)}  ${key}`);
  console.log('  inclusive time, project code (dist/):');
  for (const [key, us] of top(inclusive, 15, (key) => key.includes('dist/'))) console.log(`    ${pct(us)}  ${key}`);
  console.log('  inclusive time, selected runtime functions:');
  const runtime = /^(parserOnHeadersComplete|parserOnIncoming|writeHead|_storeHeader|end|_writeRaw|onStreamRead|emit|createHash|digest|update|get|setImmediate|processImmediate|processTicksAndRejections|\(garbage collector\)|\(program\)) /;
  for (const [key, us] of top(inclusive, 15, (key) => runtime.test(key) && !key.includes('dist/'))) console.log(`    ${pct(us)}  ${key}`);
}

// ---------------------------------------------------------------- main

const fmtRate = (n) => Math.round(n).toLocaleString('en');
const fmtMs = (n) => (n >= 10 ? n.toFixed(1) : n.toFixed(2));
const fmtRatio = (n) => (n === undefined ? '—' : `${n.toFixed(2)}×`);
const fmtCpu = (n) => (n === null ? '—' : n.toFixed(1));
/** The median item by `key` (the lower middle one for an even count). */
const medianBy = (items, key) => [...items].sort((a, b) => key(a) - key(b))[Math.floor((items.length - 1) / 2)];
const median = (values) => medianBy(values, (value) => value);

async function main() {
  requireDist();
  const cases = selectedCases();
  const cpuModel = cpus()[0]?.model ?? 'unknown';
  const load0 = loadavg();
  console.log(`passkey-auth forward-auth benchmark${quick ? ' (quick smoke run)' : ''}`);
  console.log(
    `node ${process.version}; ${cpus().length} CPUs (${cpuModel}); ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM (${(freemem() / 2 ** 30).toFixed(0)} free); ` +
      `load average ${load0.map((n) => n.toFixed(2)).join(' ')}`,
  );
  console.log(
    `tool ${tool}${tool === 'wrk' ? ` -t${wrkThreads}` : ''}, ${connections} connections, ${durationS} s per case after ${warmupS} s warm-up` +
      `${rounds > 1 ? `, ${rounds} interleaved rounds (median reported)` : ''}; ` +
      `${pin ? 'server on CPU 0, load generator on CPU 1 (taskset)' : 'no CPU pinning'}`,
  );
  if (load0[0] > cpus().length * 0.5) {
    console.warn(`bench: warning: the machine is busy (1-minute load ${load0[0].toFixed(2)} on ${cpus().length} CPUs): figures will be low and noisy`);
  }
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  // autocannon runs in this process: pin all its threads to the load generator's CPU.
  if (pin && tool === 'autocannon') spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

  const needsSmall = cases.some((name) => ['forward', 'forward-nocookie', 'validate'].includes(name));
  const needsBig = cases.some((name) => name.startsWith('forward-1m'));
  // Token sets: the small database's sessions are all presented; on the big one, the
  // forward case spreads tokenCount tokens over all sessions, and the cache-miss case
  // cycles through more distinct tokens than the identity cache holds: with its
  // least-recently-used eviction (and even spacing between load threads) every request misses.
  const bigTokens = { count: Math.min(tokenCount, bigSessions) };
  bigTokens.stride = strideFor(bigTokens.count, bigSessions);
  const missTokens = { count: Math.min(bigSessions, 2 * IDENTITY_CACHE_ENTRIES) };
  missTokens.stride = strideFor(missTokens.count, bigSessions);
  if (cases.includes('forward-1m-miss') && missTokens.count <= IDENTITY_CACHE_ENTRIES) {
    console.warn(`bench: warning: only ${bigSessions} sessions: the cache-miss case will hit the cache`);
  }
  let addressed = null;
  if (needsBig) {
    addressed = new Uint8Array(bigSessions);
    if (cases.includes('forward-1m')) markAddressed(addressed, { ...bigTokens, modulo: bigSessions });
    if (cases.includes('forward-1m-miss')) markAddressed(addressed, { ...missTokens, modulo: bigSessions });
  }
  const small = needsSmall ? await seedDatabase(join(tmp, 'small.sqlite'), { users: 1, sessions: tokenCount, salt: newSalt(), label: 'small database' }) : null;
  const big = needsBig ? await seedDatabase(join(tmp, 'big.sqlite'), { users: bigUsers, sessions: bigSessions, salt: newSalt(), label: 'big database', addressed }) : null;

  let failed = false;

  /** One measured run of a case (preflight and warm-up only before the first round). */
  async function measure(item, round) {
    const { server, spec, label } = item;
    if (round === 1) {
      const first = spec.tokens ? { ...spec.headers, Cookie: cookieFor(spec.tokens, 0) } : spec.headers;
      const response = await once(server.port, { method: spec.method, path: spec.path, headers: first });
      const problem = response.status !== spec.expect ? `status ${response.status}, expected ${spec.expect}: ${response.body.slice(0, 300)}` : spec.check?.(response);
      if (problem) throw new Fatal(`${label}: the first request already failed: ${problem}`);
      if (warmupS > 0) await load(server.port, spec, warmupS);
      // Some cases are only meaningful once the identity cache is full: keep warming up.
      let warmed = 0;
      const until = Date.now() + 120_000;
      while (spec.warmRequests && warmed < spec.warmRequests && Date.now() < until) warmed += (await load(server.port, spec, 5)).requests;
      if (spec.warmRequests) console.log(`  (${label}: ${warmed.toLocaleString('en')} warm-up requests to fill the identity cache)`);
    }
    const cpuBefore = cpuMicros(server.pid);
    const run = await load(server.port, spec, durationS);
    const cpuAfter = cpuMicros(server.pid);
    const cpuPerRequest = cpuBefore === null || cpuAfter === null || run.requests === 0 ? null : (cpuAfter - cpuBefore) / run.requests;
    const total = Object.values(run.statuses).reduce((sum, n) => sum + n, 0);
    const unexpected = total - (run.statuses[spec.expect] ?? 0);
    const alive = server.alive();
    const ok = unexpected === 0 && run.errors === 0 && run.requests > 0 && alive;
    if (!ok) failed = true;
    const result = { ...run, rps: run.requests / run.seconds, cpuPerRequest, unexpected, ok, alive };
    item.runs.push(result);
    const codes = Object.entries(run.statuses).map(([code, n]) => `${code}×${n}`).join(' ') || 'none';
    console.log(
      `  ${label}: ${fmtRate(result.rps)} req/s, p50 ${fmtMs(run.p50)} ms, p99 ${fmtMs(run.p99)} ms, ${fmtCpu(cpuPerRequest)} µs CPU/req; statuses ${codes}` +
        `${run.errors ? `; socket errors ${JSON.stringify(run.errorDetail)}` : ''}${alive ? '' : '; SERVER DIED'}${ok ? '' : '  <-- FAILED'}`,
    );
    if (!alive) throw new Fatal(`${server.label} died during "${label}"\n${server.stderr()}`);
  }

  // All servers up front (an idle server costs no CPU), then the cases one at a time,
  // in `rounds` interleaved passes so that a burst of other load on the machine does
  // not land on one case only.
  const servers = [];
  const startServer = async (start) => {
    const server = await start();
    servers.push(server);
    return server;
  };
  const baselineServer = cases.some((name) => name.startsWith('baseline')) ? await startServer(startBaseline) : null;
  const smallServer = needsSmall ? await startServer(() => startAuthServer(small, 'small')) : null;
  const bigServer = needsBig ? await startServer(() => startAuthServer(big, 'big')) : null;

  const plan = [];
  const add = (id, server, spec, label) => cases.includes(id) && plan.push({ id, server, spec: { id, ...spec }, label, runs: [] });
  // The baselines get the very request the forward case sends (path, Accept, a cookie from
  // the same number of distinct tokens), so that request parsing costs the same on both sides.
  const sameRequest = {
    ...FORWARD_REQUEST,
    tokens: { salt: 'b'.repeat(31), count: tokenCount, stride: 1, modulo: tokenCount },
    expect: 204,
  };
  add('baseline', baselineServer, sameRequest, 'baseline: bare node:http 204');
  add(
    'baseline-headers',
    baselineServer,
    { ...sameRequest, path: `${sameRequest.path}&with=headers`, tokens: { ...sameRequest.tokens }, check: (response) => (response.headers['remote-user'] ? null : 'no Remote-User header') },
    'node:http 204 + the 10 headers of a forward answer (informational)',
  );
  if (small) {
    add('forward', smallServer, forwardSpec(small, { count: tokenCount, stride: 1 }), `forward, valid session + perm (${tokenCount.toLocaleString('en')} tokens)`);
    add(
      'forward-nocookie',
      smallServer,
      {
        ...FORWARD_REQUEST,
        expect: 401,
        check: (response) => (JSON.parse(response.body)?.auth?.mode === 'login' ? null : `expected a JSON body with auth.mode login, got ${response.body.slice(0, 200)}`),
      },
      'forward, no cookie (401 JSON)',
    );
    add(
      'validate',
      smallServer,
      {
        method: 'POST',
        path: '/auth/api/validate?renew=0',
        headers: { Host: HOST, 'Content-Length': '0' },
        tokens: { salt: small.salt, count: tokenCount, stride: 1, modulo: small.sessions },
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
    const sessions = big.sessions.toLocaleString('en');
    add('forward-1m', bigServer, forwardSpec(big, bigTokens), `forward, ${sessions} sessions DB (${bigTokens.count.toLocaleString('en')} tokens)`);
    add('forward-1m-miss', bigServer, { ...forwardSpec(big, missTokens), warmRequests: Math.round(1.2 * IDENTITY_CACHE_ENTRIES) }, `forward, ${sessions} sessions DB, every request a cache miss (${missTokens.count.toLocaleString('en')} tokens)`);
  }

  for (let round = 1; round <= rounds; round++) {
    if (rounds > 1) console.log(`round ${round} of ${rounds}`);
    for (const item of plan) await measure(item, round);
  }
  await Promise.all(servers.map((server) => server.stop()));

  // Each case's figure is its median round by req/s.
  const results = plan.map((item) => {
    const middle = medianBy(item.runs, (run) => run.rps);
    const statuses = {};
    for (const run of item.runs) for (const [code, n] of Object.entries(run.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
    return {
      id: item.id,
      label: item.label,
      expect: item.spec.expect,
      rps: middle.rps,
      p50: middle.p50,
      p99: middle.p99,
      // The median of the rounds' CPU figures, on its own: CPU and req/s noise need not coincide.
      cpuPerRequest: item.runs.some((run) => run.cpuPerRequest === null) ? null : median(item.runs.map((run) => run.cpuPerRequest)),
      statuses,
      unexpected: item.runs.reduce((sum, run) => sum + run.unexpected, 0),
      errors: item.runs.reduce((sum, run) => sum + run.errors, 0),
      alive: item.runs.every((run) => run.alive),
      ok: item.runs.every((run) => run.ok),
      runs: item.runs,
    };
  });

  /**
   * A case against a reference case: the median over rounds of the two cases' ratio in
   * the same round, so that a slow minute on a shared machine lands on both sides of
   * each ratio. By req/s, or by server CPU per request (inverted: higher is better).
   */
  const ratioTo = (result, reference, by = 'rps') => {
    if (!reference || result === reference) return undefined;
    const ratios = result.runs.map((run, i) =>
      by === 'rps' ? run.rps / reference.runs[i].rps : reference.runs[i].cpuPerRequest / run.cpuPerRequest,
    );
    return ratios.some((ratio) => !Number.isFinite(ratio)) ? undefined : median(ratios);
  };

  // ------------------------------------------------------------ report
  const byId = Object.fromEntries(results.map((result) => [result.id, result]));
  const roundsHead = rounds > 1 ? ' req/s per round |' : '';
  console.log(`\n| case | req/s | p50 ms | p99 ms | × baseline | × forward (small DB) | server CPU µs/req | × baseline by CPU | statuses | check |${roundsHead}`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|---:|---|---|${rounds > 1 ? '---|' : ''}`);
  const shown = (ratio) => (ratio === undefined ? '' : fmtRatio(ratio));
  for (const result of results) {
    const codes = Object.entries(result.statuses).map(([code, n]) => `${code}: ${n.toLocaleString('en')}`).join(', ');
    const check = result.ok ? `all ${result.expect}` : `FAIL: ${result.unexpected} unexpected, ${result.errors} socket errors${result.alive ? '' : ', server died'}`;
    const vsForward = result.id.startsWith('forward-1m') ? shown(ratioTo(result, byId.forward)) : '';
    const perRound = rounds > 1 ? ` ${result.runs.map((run) => fmtRate(run.rps)).join(' / ')} |` : '';
    console.log(
      `| ${result.label} | ${fmtRate(result.rps)} | ${fmtMs(result.p50)} | ${fmtMs(result.p99)} | ${shown(ratioTo(result, byId.baseline))} | ${vsForward} | ` +
        `${fmtCpu(result.cpuPerRequest)} | ${shown(ratioTo(result, byId.baseline, 'cpu'))} | ${codes} | ${check} |${perRound}`,
    );
  }
  if (rounds > 1) console.log('(ratios: the median over rounds of the ratio within each round)');

  const target = (text, value, pass) => console.log(`${pass === undefined ? 'n/a ' : pass ? 'PASS' : 'MISS'}  ${text}: ${value}`);
  console.log('\nTargets (reported, never fatal):');
  const forwardRatio = byId.forward && ratioTo(byId.forward, byId.baseline);
  if (forwardRatio !== undefined) target('forward ≥ 0.70× baseline req/s', fmtRatio(forwardRatio), forwardRatio >= 0.7);
  else target('forward ≥ 0.70× baseline req/s', 'needs cases baseline and forward');
  if (byId.forward) target('forward p99 ≤ 5 ms', `${fmtMs(byId.forward.p99)} ms`, byId.forward.p99 <= 5);
  const bigRatio = byId['forward-1m'] && ratioTo(byId['forward-1m'], byId.forward);
  if (bigRatio !== undefined) {
    const label = quick ? `forward with the big DB (${big.sessions.toLocaleString('en')} sessions in --quick) ≥ 0.90× small DB` : 'forward with 1M sessions ≥ 0.90× small DB';
    target(label, fmtRatio(bigRatio), bigRatio >= 0.9);
  }
  if (quick) console.log('(--quick: 2 s cases and a shrunk big database; figures are a smoke test, not a measurement)');

  const load1 = loadavg();
  console.log(`load average after: ${load1.map((n) => n.toFixed(2)).join(' ')}`);

  if (cpuProfDir) {
    for (const file of profileFiles) {
      if (existsSync(file)) summariseProfile(file);
      else console.warn(`bench: warning: no CPU profile at ${file}`);
    }
  }

  if (failed) {
    console.error('\nbench: FAILED: a case got unexpected status codes or socket errors (see above)');
    process.exitCode = 1;
  }
}

main()
  .catch((error) => {
    process.stderr.write(`bench: ${error instanceof Fatal ? error.message : error.stack}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await Promise.all([...children].map((child) => stopChild(child)));
    cleanupSync();
  });
