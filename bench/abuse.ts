// Abuse limits under load (docs/security.md "Abuse limits"): a real verid on loopback with its real
// engines and default limits. A legitimate verification (document + selfie over the Omni API) is
// timed idle, then again while three floods run: full-speed 9.6 MB uploads to one session, 79 MB
// bodies without a token, and wrong client secrets. The server runs in a child process
// (support/abuse-server.ts) that samples its own RSS every 50 ms. Clients come through a trusted proxy with their own
// X-Forwarded-For, as they would in production, so the attackers' per-IP limits are theirs alone.
// Run: npm run bench:abuse [-- --runs 5]
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { BenchMessage, ServerMessage } from './support/abuse-server.ts';
import { flood, postBuffer, streamBody } from './support/flood.ts';
import { makeInput, omniPost, percentile } from './support/omni-client.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, 'max-flood-seconds': { type: 'string', default: '180' } } });
const runs = Number(values.runs);
const server = fork(new URL('./support/abuse-server.ts', import.meta.url));
const [ready] = await once(server, 'message') as [Extract<ServerMessage, { type: 'ready' }>];
const { address } = ready;
const ask = (message: BenchMessage) => server.send(message);
let asked = 0;
async function start(): Promise<{ token: string }> {
  const id = ++asked;
  ask({ type: 'start', id });
  for (;;) {
    const [reply] = await once(server, 'message') as [ServerMessage];
    if (reply.type === 'token' && reply.id === id) return { token: reply.token };
  }
}

const LEGIT = { 'x-forwarded-for': '192.0.2.10' };
const inputs = await Promise.all(Array.from({ length: 2 * runs + 1 }, (_, i) => makeInput(i, 0)));
let used = 0;
let legitBusy = 0;
/** Decided states of the legitimate verifications (the latency is the point; the outcome is reported). */
const outcomes: Record<string, number> = {};
const firstReasons: unknown[] = [];

/** POST that waits and retries on 503 engine_busy, as a person pressing "try again" would. */
async function legitPost(token: string, route: string, body?: Buffer) {
  for (;;) {
    try {
      return await omniPost(address, token, route, body, 'image/jpeg', LEGIT);
    } catch (error) {
      if (!String(error).includes(': 503 ')) throw error;
      legitBusy++;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function verifyOnce(): Promise<number> {
  const input = inputs[used++]!;
  const { token } = await start();
  const t0 = performance.now();
  await legitPost(token, '/omni/add/front-id', input.front);
  await legitPost(token, '/omni/process/id');
  await legitPost(token, '/omni/add/face', input.selfie);
  const result = await legitPost(token, '/omni/process/face');
  if (firstReasons.length === 0) firstReasons.push(result.reasons);
  outcomes[String(result.state)] = (outcomes[String(result.state)] ?? 0) + 1;
  return performance.now() - t0;
}

async function timed(n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await verifyOnce());
  return times.sort((a, b) => a - b);
}

// The attackers' material: a real 9.6 MB JPEG (noise does not compress) and a confidential client.
const side = 2600;
const big = await sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } }).jpeg({ quality: 100 }).toBuffer();
const victimSession = (await start()).token;

async function mark(type: 'mark' | 'stop'): Promise<Extract<ServerMessage, { type: 'peak' }>> {
  ask({ type });
  const [peak] = await once(server, 'message') as [Extract<ServerMessage, { type: 'peak' }>];
  return peak;
}

await verifyOnce(); // warm the models in both pools
await mark('mark');
const idleStarted = performance.now();
const idle = await timed(runs);
const idleMs = performance.now() - idleStarted;
const idlePeak = await mark('mark');

const maxMs = Number(values['max-flood-seconds']) * 1000;
const attacker = (n: number) => ({ 'x-forwarded-for': `203.0.113.${n}` });
const uploads = flood(() => postBuffer(`${address}/omni/add/front-id`, {
  authorization: `Bearer ${victimSession}`, 'content-type': 'image/jpeg', ...attacker(1),
}, big), { concurrency: 6, maxRequests: 1_000_000, maxMs });
const bigBodies = flood(() => streamBody(`${address}/omni/add/liveness-frames`, {
  authorization: 'Bearer not-a-token', 'content-type': 'application/json', ...attacker(2),
}, 79 * 1024 * 1024), { concurrency: 4, maxRequests: 1_000_000, maxMs });
const secrets = flood(async () => {
  const response = await fetch(`${address}/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${ready.clientId}:guess-${randomBytes(6).toString('hex')}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded', ...attacker(3),
    },
    body: 'grant_type=client_credentials',
  });
  await response.arrayBuffer();
  return response.status;
}, { concurrency: 4, maxRequests: 1_000_000, maxMs });
const floods = { uploads, bigBodies, secrets };

const floodStarted = performance.now();
const benchCpu = process.cpuUsage();
await new Promise((resolve) => setTimeout(resolve, 500));
const underFlood = await timed(runs);
for (const f of Object.values(floods)) f.stop();
await Promise.all(Object.values(floods).map((f) => f.done));
const floodMs = performance.now() - floodStarted;
const attackerCpu = process.cpuUsage(benchCpu);
const peak = await mark('stop');

const count = (status: number) => Object.values(floods).reduce((sum, f) => sum + (f.counts.byStatus[status] ?? 0), 0);
const legitP50 = percentile(underFlood, 50);
const idleP50 = percentile(idle, 50);
const rssPeakMb = peak.rssMb;
console.log('abuse: a legitimate verification (document + selfie) idle and under flood; default limits, 1 engine thread per pool, MALLOC_ARENA_MAX=%s, MALLOC_MMAP_THRESHOLD_=%s',
  process.env.MALLOC_ARENA_MAX ?? 'unset', process.env.MALLOC_MMAP_THRESHOLD_ ?? 'unset');
console.log('| flood | requests | answers (status: count; 0 = connection closed by verid before the body was sent) |\n|---|---|---|');
for (const [name, f] of Object.entries(floods)) console.log(`| ${name} | ${f.counts.sent} | ${JSON.stringify(f.counts.byStatus)} |`);
console.log('| measure | value |\n|---|---|');
console.log(`| legit p50 idle | ${idleP50.toFixed(0)} ms |`);
console.log(`| legit p50 under flood | ${legitP50.toFixed(0)} ms (${(legitP50 / idleP50).toFixed(2)}x; target <= 2x) |`);
console.log(`| legit 503 retries under flood | ${legitBusy} |`);
console.log(`| legit outcomes | ${JSON.stringify(outcomes)} (first: ${JSON.stringify(firstReasons[0])}) |`);
console.log(`| server RSS peak, idle verifications | ${idlePeak.rssMb} MB |`);
console.log(`| server RSS peak under flood | ${rssPeakMb} MB (target < 1500) |`);
// Cores in use: CPU time over wall time. The attackers (this process) and the server share the host's cores.
const cores = (cpuMs: number, wallMs: number) => (cpuMs / wallMs).toFixed(2);
console.log(`| server CPU, idle phase | ${cores(idlePeak.cpuMs, idleMs)} cores; main thread busy ${(idlePeak.mainThreadBusy * 100).toFixed(0)}% |`);
console.log(`| server CPU, flood phase | ${cores(peak.cpuMs, floodMs)} cores; main thread busy ${(peak.mainThreadBusy * 100).toFixed(0)}% |`);
console.log(`| attackers' CPU (bench process), flood phase | ${cores((attackerCpu.user + attackerCpu.system) / 1000, floodMs)} cores |`);
console.log(`| refusal delay | ${process.env.VERID_RATE_LIMIT_DELAY_MS ?? 'default'} ms |`);
await once(server, 'exit');
console.log(JSON.stringify({
  legit_p50_ms: Math.round(legitP50), legit_idle_p50_ms: Math.round(idleP50), rss_peak_mb: rssPeakMb, rejected_429: count(429), rejected_503: count(503),
}));
