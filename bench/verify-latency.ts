// End-to-end latency of a full verification over HTTP the way the hosted page runs it: the
// document (upload + process/id), then the camera check — the selfie and the steps the server
// reveals one at a time, frames recorded in real time and sent in chunks of 5, each step finished
// with done: true — then process/face. Reported: the time the person waits (everything but the
// seconds spent performing the steps, including each step's round trip), p50/p95 with warm models,
// then throughput with concurrent sessions. Run: npm run bench:verify-latency [-- --n 12 --concurrency 4]
// Baseline (same run): the engines called directly, without HTTP, storage or encryption.
// Memory: the RSS at the end and the peak over the whole run (the kernel's high-water mark, VmHWM,
// where /proc exists; else the largest of samples taken every 50 ms).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/index.ts';
import { createEngines } from '../src/engines.ts';
import { makeInput, omniPost, percentile } from './support/omni-client.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '12' }, concurrency: { type: 'string', default: '4' }, threads: { type: 'string', default: '1' },
  },
});
// What the hosted page records (src/web/capture/capture.js): a 0.6 s lead-in, 1.5 s per step and a
// 0.8 s tail after the last, at 10 frames/s.
const LEAD_FRAMES = 6;
const STEP_FRAMES = 15;
const TAIL_FRAMES = 8;
const STEPS = loadConfig({}).livenessSteps;
const FRAMES = LEAD_FRAMES + STEPS * STEP_FRAMES + TAIL_FRAMES;
const n = Number(values.n);
const concurrency = Number(values.concurrency);

let sampledPeakRss = process.memoryUsage.rss();
const rssSampler = setInterval(() => { sampledPeakRss = Math.max(sampledPeakRss, process.memoryUsage.rss()); }, 50);
rssSampler.unref();

/** The process's peak RSS in bytes: Linux's VmHWM (exact), or the sampled peak where /proc is missing. */
function peakRss(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Math.max(Number(kb) * 1024, sampledPeakRss);
  } catch { /* not Linux */ }
  return sampledPeakRss;
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'verid-bench-'));
const config = loadConfig({ VERID_DATA_DIR: dataDir, LOG_LEVEL: 'silent', VERID_ENGINE_THREADS: values.threads, PORT: '0' });
const engines = createEngines(config);
const app = await buildApp({ config, engines, logger: false });
const address = await app.server.listen({ host: '127.0.0.1', port: 0 });

const inputs = await Promise.all(Array.from({ length: 2 * n + 2 + 6 }, (_, i) => makeInput(i, FRAMES)));
let used = 0;

const post = (token: string, route: string, body?: unknown, type?: string) => omniPost(address, token, route, body, type);

const FRAME_MS = 100;
const CHUNK = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let busyRetries = 0;

/** The person's wait: document upload to its answer, plus the end of the recording to the decision. */
async function verifyOnce(): Promise<{ ms: number; state: unknown }> {
  const input = inputs[used++]!;
  const { token } = await app.verification.start({
    origin: 'omni', mode: 'enroll', environment: 'demo', clientId: null, interactionUid: null, externalId: null, loginHint: null, consent: { version: 'caller-consent-v1', at: Date.now() },
  });
  const t0 = performance.now();
  await post(token, '/omni/add/front-id', input.front);
  await post(token, '/omni/process/id');
  const documentMs = performance.now() - t0;
  // A busy face engine refuses a new challenge (503 engine_busy, Retry-After: 5): the person waits and presses Start again.
  let waited = 0;
  let challenge: { challengeId: string; totalSteps: number } | undefined;
  while (!challenge) {
    const asked = performance.now();
    try {
      challenge = await post(token, '/omni/liveness/challenge', {}, 'application/json') as { challengeId: string; totalSteps: number };
    } catch (error) {
      if (!/: 503 /.test((error as Error).message)) throw error;
      busyRetries++;
      await sleep(5_000);
      waited += performance.now() - asked;
    }
  }
  // The recording: a frame every 100 ms, the selfie after the lead-in, chunks sent in order as they fill.
  let k = 0;
  let queue: Promise<unknown> = Promise.resolve();
  let selfie: Promise<unknown> = Promise.resolve();
  const send = (index: number, frames: Array<{ base64Image: string }>, done: boolean) => {
    const request = queue.then(() => post(token, '/omni/add/liveness-frames', { challengeId: challenge.challengeId, step: index, done, frames }, 'application/json'));
    queue = request.catch(() => undefined);
    return request;
  };
  let verdict: Record<string, unknown> = {};
  for (let index = 0; index < challenge.totalSteps; index++) {
    const count = (index === 0 ? LEAD_FRAMES : 0) + STEP_FRAMES + (index === challenge.totalSteps - 1 ? TAIL_FRAMES : 0);
    const pending: Array<{ base64Image: string }> = [];
    for (let f = 0; f < count; f++) {
      await sleep(FRAME_MS);
      pending.push({ base64Image: input.frames[k++]! });
      if (index === 0 && f === LEAD_FRAMES - 1) selfie = post(token, '/omni/add/face', input.selfie);
      if (pending.length === CHUNK && f < count - 1) send(index, pending.splice(0), false);
    }
    const t = performance.now();
    if (index === challenge.totalSteps - 1) await selfie;
    verdict = await send(index, pending.splice(0), true);
    waited += performance.now() - t;
  }
  if (verdict.status === 'FAIL' && !(verdict.reasons as string[]).includes('challenge_not_performed')) throw new Error(JSON.stringify(verdict));
  const t1 = performance.now();
  const result = await post(token, '/omni/process/face');
  return { ms: documentMs + waited + performance.now() - t1, state: result.state };
}

await verifyOnce(); // warm the models in every pool
const baseline: number[] = [];
for (let i = 0; i < 6; i++) {
  const input = inputs[used++]!;
  const t0 = performance.now();
  await engines.documents.read(input.front);
  await Promise.all([engines.faces.analyze(input.front, 'document'), engines.faces.analyze(input.selfie, 'selfie')]);
  baseline.push(performance.now() - t0);
}
const sequential: number[] = [];
for (let i = 0; i < n; i++) sequential.push((await verifyOnce()).ms);
sequential.sort((a, b) => a - b);
baseline.sort((a, b) => a - b);

const t0 = performance.now();
let started = 0;
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (started++ < n) await verifyOnce();
}));
const wall = performance.now() - t0;
const rssMb = Math.round(process.memoryUsage().rss / 1e6);
clearInterval(rssSampler);
const peakRssMb = Math.round(peakRss() / 1e6);

const p50 = percentile(sequential, 50);
const p95 = percentile(sequential, 95);
const base50 = percentile(baseline, 50);
console.log(
  'verify-latency: the person\'s wait (warm models, engine threads per pool: %s, liveness burst: %d frames of 320 px recorded at 10/s, MALLOC_ARENA_MAX=%s, MALLOC_MMAP_THRESHOLD_=%s)',
  values.threads, FRAMES, process.env.MALLOC_ARENA_MAX ?? 'unset', process.env.MALLOC_MMAP_THRESHOLD_ ?? 'unset',
);
console.log('| measure | value |\n|---|---|');
console.log(`| full verification p50 | ${p50.toFixed(0)} ms |`);
console.log(`| full verification p95 | ${p95.toFixed(0)} ms |`);
console.log(`| baseline: engines only (document + 2 faces, no HTTP/DB/frames) p50 | ${base50.toFixed(0)} ms |`);
console.log(`| ratio full / baseline (p50) | ${(p50 / base50).toFixed(2)} |`);
console.log(`| throughput, ${concurrency} concurrent sessions | ${((n / wall) * 60_000).toFixed(1)} verifications/min |`);
console.log(`| RSS at the end | ${rssMb} MB |`);
console.log(`| peak RSS | ${peakRssMb} MB |`);
console.log(`| challenges refused busy (503) and retried after 5 s | ${busyRetries} |`);
await app.server.close();
await engines.close();
await rm(dataDir, { recursive: true, force: true });
console.log(JSON.stringify({ p50_ms: Math.round(p50), p95_ms: Math.round(p95), rss_mb: rssMb, peak_rss_mb: peakRssMb }));
