// `npm run bench:oidc`: verid's OIDC hot path against a bare oidc-provider 9 with its in-memory
// adapter, measured in the same run (docs/performance.md, "The OIDC hot path").
//
// Each server runs in a process of its own; autocannon drives them from this one, one at a time,
// alternating (bare, verid on SQLite, verid on PostgreSQL when DATABASE_URL is set) for every round.
// verid's tokens come from a real sign-in: one verification through the hosted page (document and
// selfie, the engines deciding), then single sign-on code flows in the same browser, each one a
// grant of its own with a rotating refresh token. Prints req/s, p50/p99 and the ratio to the
// baseline per endpoint and number of connections; the last line is JSON.
//
// BENCH_OIDC_QUICK=1: 1 s per point, one round (a smoke run). BENCH_OIDC_DURATION (s),
// BENCH_OIDC_ROUNDS, BENCH_OIDC_ENDPOINTS (comma-separated), BENCH_OIDC_ALG (RS256 | ES256: the
// client's id_token_signed_response_alg on both servers), BENCH_OIDC_CPU_PROF=dir (V8 CPU profiles
// of the verid servers, written when they stop). Run it under `flock /tmp/verid-cpu.lock`.
//
// BENCH_OIDC_LOAD=1 adds the under-load phase: on each verid server, the refresh grant and discovery
// at 2 connections, idle and then beside BENCH_OIDC_LOAD_LOOPS (3) verifications kept in flight
// over HTTP (bench/support/verification-load.ts), alternating every round; p50/p99 from every
// response's own time (not autocannon's whole-millisecond histogram), the ratio under load ÷ idle
// and the verifications finished per minute. `BENCH_OIDC_ENDPOINTS= BENCH_OIDC_LOAD=1` runs that
// phase alone (no bare provider then).
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { Browser } from '../test/helpers/browser.ts';
import { face } from '../test/helpers/fixtures.ts';
import { verifyInBrowser } from '../test/helpers/login-flow.ts';
import { generatePassport } from '../test/support/synthetic-document.ts';
import { BENCH_REDIRECT_URI, type BenchMessage, type ServerMessage } from './support/oidc-bench-protocol.ts';
import { percentile } from './support/omni-client.ts';
import { makeLoadInputs, startVerificationLoad } from './support/verification-load.ts';

const QUICK = process.env.BENCH_OIDC_QUICK === '1';
const DURATION_S = Number(process.env.BENCH_OIDC_DURATION ?? (QUICK ? 1 : 10));
const ROUNDS = Number(process.env.BENCH_OIDC_ROUNDS ?? (QUICK ? 1 : 3));
/** A first pass over every point, not counted: JIT, caches and connection pools warm. */
const WARMUP_S = Number(process.env.BENCH_OIDC_WARMUP ?? (QUICK ? 0 : 2));
const CONNECTIONS = [2, 50];
const ALL_ENDPOINTS = ['discovery', 'jwks', 'refresh', 'userinfo', 'introspection'] as const;
type Endpoint = typeof ALL_ENDPOINTS[number];
const ENDPOINTS = (process.env.BENCH_OIDC_ENDPOINTS?.split(',').filter(Boolean) ?? ALL_ENDPOINTS) as Endpoint[];
for (const endpoint of ENDPOINTS) if (!ALL_ENDPOINTS.includes(endpoint)) throw new Error(`unknown endpoint ${endpoint}`);

const LOAD = process.env.BENCH_OIDC_LOAD === '1';
const LOAD_LOOPS = Number(process.env.BENCH_OIDC_LOAD_LOOPS ?? 3);
const LOAD_ENDPOINTS: Endpoint[] = ['refresh', 'discovery'];
const LOAD_CONNECTIONS = 2;
/** Seconds the verifications run before the first point under load: every pool busy, queues filled. */
const LOAD_SETTLE_S = 3;

type Backend = 'bare' | 'sqlite' | 'postgres';

interface Target {
  backend: Backend;
  child: ChildProcess;
  baseUrl: string;
  basic: string;
  clientId: string;
  browser: Browser;
}

const asking = new WeakMap<ChildProcess, Promise<unknown>>();
/** One question at a time per server (the load's session requests overlap the bench's own). */
function ask(child: ChildProcess, message: BenchMessage): Promise<ServerMessage> {
  const reply = (asking.get(child) ?? Promise.resolve()).then(() => new Promise<ServerMessage>((resolve) => {
    child.once('message', (answer: ServerMessage) => resolve(answer));
    child.send(message);
  }));
  asking.set(child, reply.catch(() => undefined));
  return reply;
}

async function start(backend: Backend): Promise<Target> {
  const script = backend === 'bare' ? './support/oidc-bare-provider.ts' : './support/oidc-verid-server.ts';
  const profile = process.env.BENCH_OIDC_CPU_PROF && backend !== 'bare' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_OIDC_CPU_PROF}`, `--cpu-prof-name=verid-${backend}.cpuprofile`] : [];
  const child = fork(new URL(script, import.meta.url), backend === 'bare' ? [] : [backend], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [...process.execArgv, ...profile],
  });
  const ready = await new Promise<ServerMessage>((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${backend} server exited with ${code}`)));
  });
  if (ready.type !== 'ready') throw new Error(`${backend}: unexpected ${ready.type}`);
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(ready.clientId)}:${encodeURIComponent(ready.clientSecret)}`).toString('base64')}`;
  return { backend, child, baseUrl: ready.baseUrl, basic, clientId: ready.clientId, browser: new Browser() };
}

function authorizationUrl(target: Target, scope: string, challenge: string): URL {
  const url = new URL('/oauth2/authorize', target.baseUrl);
  url.search = new URLSearchParams({
    client_id: target.clientId, response_type: 'code', redirect_uri: BENCH_REDIRECT_URI, scope, prompt: 'consent',
    state: randomBytes(8).toString('hex'), nonce: randomBytes(8).toString('hex'), code_challenge: challenge, code_challenge_method: 'S256',
  }).toString();
  return url;
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A verified sign-in through verid's hosted page, as a person does it (the engines decide). */
async function signIn(target: Target): Promise<void> {
  const passport = await generatePassport({
    issuingCountry: 'CAN', surname: 'TREMBLAY', givenNames: 'NOAH', documentNumber: 'HK5521907', birthDate: '1985-11-02',
    expiryDate: '2031-01-15', sex: 'M', portrait: await face('genuine/london_003/1.jpg'),
  });
  const login = await verifyInBrowser(target.browser, authorizationUrl(target, 'openid profile', pkce().challenge),
    { front: passport, selfie: await face('genuine/london_003/2.jpg') });
  if (!login.callback.searchParams.get('code')) throw new Error(`${target.backend}: the verified sign-in failed: ${login.callback.search}`);
}

/** One authorization code flow in the signed-in browser, redeemed: a grant with its own refresh token. */
async function codeFlowTokens(target: Target): Promise<{ access_token: string; refresh_token: string }> {
  const { verifier, challenge } = pkce();
  const { url } = await target.browser.follow(authorizationUrl(target, 'openid profile offline_access', challenge));
  const code = url.searchParams.get('code');
  if (!code) throw new Error(`${target.backend}: no code: ${url}`);
  const response = await fetch(new URL('/oauth2/token', target.baseUrl), {
    method: 'POST', headers: { authorization: target.basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: BENCH_REDIRECT_URI, code_verifier: verifier }),
  });
  const tokens = await response.json() as { access_token: string; refresh_token: string };
  if (response.status !== 200 || !tokens.refresh_token) throw new Error(`${target.backend}: token endpoint said ${response.status} ${JSON.stringify(tokens)}`);
  return tokens;
}

async function requestsFor(target: Target, endpoint: Endpoint, connections: number): Promise<autocannon.Request[]> {
  const form = { authorization: target.basic, 'content-type': 'application/x-www-form-urlencoded' };
  switch (endpoint) {
    case 'discovery': return [{ method: 'GET', path: '/.well-known/openid-configuration' }];
    case 'jwks': return [{ method: 'GET', path: '/oauth2/jwks' }];
    // A fresh access token for each point: oidc-provider's in-memory adapter is an LRU of 1000
    // entries, and the refresh points push older tokens out of the baseline's.
    case 'userinfo': return [{ method: 'GET', path: '/oauth2/userinfo', headers: { authorization: `Bearer ${(await codeFlowTokens(target)).access_token}` } }];
    case 'introspection': return [{ method: 'POST', path: '/oauth2/introspect', headers: form, body: `token=${(await codeFlowTokens(target)).access_token}` }];
    case 'refresh': {
      // Every refresh rotates the token (a used one replayed revokes its grant), so each connection
      // carries a chain of its own: the token a response returns is the next request's.
      const ready: string[] = [];
      for (let i = 0; i < connections + 2; i++) ready.push((await codeFlowTokens(target)).refresh_token);
      return [{
        method: 'POST', path: '/oauth2/token', headers: form,
        setupRequest: (request) => ({ ...request, body: `grant_type=refresh_token&refresh_token=${ready.pop() ?? 'exhausted'}` }),
        onResponse: (status, body) => {
          if (status === 200) ready.push((JSON.parse(body) as { refresh_token: string }).refresh_token);
        },
      }];
    }
  }
}

/** p50/p99 from autocannon's histogram (whole ms); exactP50/exactP99 from each 2xx response's own time. */
interface Point { rps: number; p50: number; p99: number; exactP50: number; exactP99: number; failed: number; queriesPerRequest: number | null }

async function measure(target: Target, endpoint: Endpoint, connections: number, duration = DURATION_S): Promise<Point> {
  const requests = await requestsFor(target, endpoint, connections);
  await ask(target.child, { type: 'reset' });
  // Without a callback autocannon returns its instance, which is also a promise of the result.
  const instance = autocannon({ url: target.baseUrl, connections, pipelining: 1, duration, requests }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
  const times: number[] = [];
  instance.on('response', (_client, status, _bytes, ms) => status >= 200 && status < 300 && times.push(ms));
  const result = await instance;
  const queries = await ask(target.child, { type: 'count' });
  const total = result.requests.total;
  times.sort((a, b) => a - b);
  return {
    rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99,
    exactP50: times.length ? percentile(times, 50) : NaN, exactP99: times.length ? percentile(times, 99) : NaN,
    failed: result.non2xx + result.errors + result.timeouts,
    queriesPerRequest: target.backend === 'bare' || queries.type !== 'queries' || total === 0 ? null : queries.count / total,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

interface LoadPoint { idle: Point; load: Point; verificationsPerMin: number; failedVerifications: number }

/** Idle, then beside LOAD_LOOPS verifications in flight; one point of each per endpoint. */
async function measureUnderLoad(target: Target, inputs: Awaited<ReturnType<typeof makeLoadInputs>>): Promise<Map<Endpoint, LoadPoint>> {
  const idle = new Map<Endpoint, Point>();
  for (const endpoint of LOAD_ENDPOINTS) idle.set(endpoint, await measure(target, endpoint, LOAD_CONNECTIONS));
  const startSession = async () => {
    const reply = await ask(target.child, { type: 'start-session' });
    if (reply.type !== 'session') throw new Error(`${target.backend}: unexpected ${reply.type}`);
    return reply.token;
  };
  const started = performance.now();
  const load = startVerificationLoad(target.baseUrl, LOAD_LOOPS, inputs, startSession);
  const measured = new Map<Endpoint, Point>();
  try {
    await new Promise((resolve) => setTimeout(resolve, LOAD_SETTLE_S * 1000));
    for (const endpoint of LOAD_ENDPOINTS) measured.set(endpoint, await measure(target, endpoint, LOAD_CONNECTIONS));
  } finally {
    await load.stop();
  }
  // Over the whole time the loops ran (a verification takes longer than one point lasts).
  const verificationsPerMin = load.completed / ((performance.now() - started) / 60_000);
  const points = new Map<Endpoint, LoadPoint>();
  for (const [endpoint, point] of measured) {
    points.set(endpoint, { idle: idle.get(endpoint)!, load: point, verificationsPerMin, failedVerifications: load.failed });
  }
  if (load.failed) process.stderr.write(`${target.backend}: ${load.failed} verification(s) failed, first: ${load.firstError}\n`);
  return points;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** The under-load table and its JSON rows: medians over the rounds, per verid backend and endpoint. */
function reportUnderLoad(measured: Map<string, LoadPoint[]>): Array<Record<string, unknown>> {
  console.log(`\nUnder load: ${LOAD_CONNECTIONS} connections, idle vs beside ${LOAD_LOOPS} verification loops; ${DURATION_S} s per point, ${ROUNDS} round(s), medians; latency from each response`);
  console.log('| endpoint | backend | idle p50/p99 ms | under load p50/p99 ms | p99 ratio | idle / load req/s | verifications/min | failed verifications |');
  console.log('|---|---|---|---|---|---|---|---|');
  const rows: Array<Record<string, unknown>> = [];
  for (const [key, points] of measured) {
    const [backend, endpoint] = key.split('|');
    const m = (pick: (p: LoadPoint) => number) => round2(median(points.map(pick)));
    const row = {
      endpoint, backend, idle_p50_ms: m((p) => p.idle.exactP50), idle_p99_ms: m((p) => p.idle.exactP99),
      load_p50_ms: m((p) => p.load.exactP50), load_p99_ms: m((p) => p.load.exactP99),
      p99_ratio: 0, idle_rps: Math.round(m((p) => p.idle.rps)), load_rps: Math.round(m((p) => p.load.rps)),
      verifications_per_min: m((p) => p.verificationsPerMin), failed_verifications: points.reduce((sum, p) => sum + p.failedVerifications, 0),
    };
    row.p99_ratio = round2(row.load_p99_ms / row.idle_p99_ms);
    rows.push(row);
    console.log(`| ${endpoint} | ${backend} | ${row.idle_p50_ms}/${row.idle_p99_ms} | ${row.load_p50_ms}/${row.load_p99_ms} | ${row.p99_ratio} | ${row.idle_rps} / ${row.load_rps} | ${row.verifications_per_min} | ${row.failed_verifications} |`);
  }
  return rows;
}

const backends: Backend[] = [...(ENDPOINTS.length ? ['bare' as const] : []), 'sqlite', ...(process.env.DATABASE_URL ? ['postgres' as const] : [])];
const targets: Target[] = [];
for (const backend of backends) targets.push(await start(backend));
try {
  for (const target of targets) if (target.backend !== 'bare') await signIn(target);
  if (WARMUP_S > 0) {
    for (const endpoint of ENDPOINTS) for (const connections of CONNECTIONS) for (const target of targets) await measure(target, endpoint, connections, WARMUP_S);
  }
  const points = new Map<string, Point[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const endpoint of ENDPOINTS) {
      for (const connections of CONNECTIONS) {
        for (const target of targets) {
          const point = await measure(target, endpoint, connections);
          const key = `${target.backend}|${endpoint}|${connections}`;
          points.set(key, [...points.get(key) ?? [], point]);
          process.stderr.write(`round ${round + 1} ${target.backend} ${endpoint} ${connections}: ${Math.round(point.rps)} req/s p99 ${point.p99} ms${point.failed ? ` FAILED ${point.failed}` : ''}\n`);
        }
      }
    }
  }
  const underLoad = new Map<string, LoadPoint[]>();
  if (LOAD) {
    const inputs = await makeLoadInputs();
    const verid = targets.filter((t) => t.backend !== 'bare');
    const warm = LOAD_ENDPOINTS.filter((e) => !ENDPOINTS.includes(e));
    if (WARMUP_S > 0) for (const endpoint of warm) for (const target of verid) await measure(target, endpoint, LOAD_CONNECTIONS, WARMUP_S);
    for (let round = 0; round < ROUNDS; round++) {
      for (const target of verid) {
        for (const [endpoint, point] of await measureUnderLoad(target, inputs)) {
          const key = `${target.backend}|${endpoint}`;
          underLoad.set(key, [...underLoad.get(key) ?? [], point]);
          process.stderr.write(`round ${round + 1} ${target.backend} ${endpoint} p99 idle ${point.idle.exactP99.toFixed(2)} ms, under load ${point.load.exactP99.toFixed(2)} ms (${Math.round(point.verificationsPerMin)} verifications/min)\n`);
        }
      }
    }
  }

  const summary = (backend: Backend, endpoint: Endpoint, connections: number) => {
    const measured = points.get(`${backend}|${endpoint}|${connections}`)!;
    const qpr = measured.map((p) => p.queriesPerRequest).filter((q) => q !== null);
    return {
      rps: median(measured.map((p) => p.rps)), p50: median(measured.map((p) => p.p50)), p99: median(measured.map((p) => p.p99)),
      failed: measured.reduce((sum, p) => sum + p.failed, 0), queriesPerRequest: qpr.length ? median(qpr) : null,
    };
  };
  const rows: Array<Record<string, unknown> & { backend: Backend; ratio: number }> = [];
  console.log(`${DURATION_S} s per point, ${ROUNDS} round(s), medians; ID tokens ${process.env.BENCH_OIDC_ALG ?? 'RS256'}`);
  if (ENDPOINTS.length) {
    console.log('| endpoint | conns | backend | bare req/s | verid req/s | ratio | bare p50/p99 ms | verid p50/p99 ms | p99 ratio | queries/req | failed bare / verid |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  }
  for (const endpoint of ENDPOINTS) {
    for (const connections of CONNECTIONS) {
      const bare = summary('bare', endpoint, connections);
      for (const backend of backends.filter((b) => b !== 'bare')) {
        const verid = summary(backend, endpoint, connections);
        const ratio = Math.round((verid.rps / bare.rps) * 100) / 100;
        const p99Ratio = Math.round((verid.p99 / Math.max(bare.p99, 1)) * 100) / 100;
        rows.push({
          endpoint, conns: connections, baseline_rps: Math.round(bare.rps), verid_rps: Math.round(verid.rps), ratio, backend,
          baseline_p50_ms: bare.p50, baseline_p99_ms: bare.p99, verid_p50_ms: verid.p50, verid_p99_ms: verid.p99, p99_ratio: p99Ratio,
          queries_per_request: verid.queriesPerRequest === null ? null : Math.round(verid.queriesPerRequest * 100) / 100, baseline_failed: bare.failed, verid_failed: verid.failed,
        });
        console.log(`| ${endpoint} | ${connections} | ${backend} | ${Math.round(bare.rps)} | ${Math.round(verid.rps)} | ${ratio} | ${bare.p50}/${bare.p99} | ${verid.p50}/${verid.p99} | ${p99Ratio} | ${verid.queriesPerRequest?.toFixed(2) ?? '-'} | ${bare.failed} / ${verid.failed} |`);
      }
    }
  }
  const minRatio = (backend: Backend) => {
    const ratios = rows.filter((r) => r.backend === backend).map((r) => r.ratio);
    return ratios.length ? Math.min(...ratios) : null;
  };
  const underLoadRows = LOAD ? reportUnderLoad(underLoad) : undefined;
  console.log(JSON.stringify({ min_ratio_sqlite: minRatio('sqlite'), min_ratio_pg: minRatio('postgres'), rows, ...(underLoadRows ? { under_load: underLoadRows } : {}) }));
} finally {
  for (const target of targets) {
    const exited = new Promise((resolve) => target.child.once('exit', resolve));
    target.child.send({ type: 'stop' } satisfies BenchMessage);
    await exited;
  }
}
