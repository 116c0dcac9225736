// End-to-end latency of a full verification over HTTP the way the hosted page runs it: the
// document (upload + process/id), then the camera check — selfie and a burst of frames recorded
// in real time, sent ahead in chunks of 8 — then process/face. Reported: the time the person
// waits (everything but the seconds spent performing the challenge), p50/p95 with warm models,
// then throughput with concurrent sessions. Run: npm run bench:verify-latency [-- --n 12 --concurrency 4]
// Baseline (same run): the engines called directly, without HTTP, storage or encryption.
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
    // what the hosted page records: 0.6 + 3 × 1.5 + 0.5 s at 10 frames/s
    frames: { type: 'string', default: '56' },
  },
});
const FRAMES = Number(values.frames);
const n = Number(values.n);
const concurrency = Number(values.concurrency);

const dataDir = await mkdtemp(path.join(tmpdir(), 'verid-bench-'));
const config = loadConfig({ VERID_DATA_DIR: dataDir, LOG_LEVEL: 'silent', VERID_ENGINE_THREADS: values.threads, PORT: '0' });
const engines = createEngines(config);
const app = await buildApp({ config, engines, logger: false });
const address = await app.server.listen({ host: '127.0.0.1', port: 0 });

const inputs = await Promise.all(Array.from({ length: 2 * n + 2 + 6 }, (_, i) => makeInput(i, FRAMES)));
let used = 0;

const post = (token: string, route: string, body?: unknown, type?: string) => omniPost(address, token, route, body, type);

const FRAME_MS = 100;
const CHUNK = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The person's wait: document upload to its answer, plus the end of the recording to the decision. */
async function verifyOnce(): Promise<{ ms: number; state: unknown }> {
  const input = inputs[used++]!;
  const { token } = await app.verification.start({
    origin: 'omni', mode: 'enroll', environment: 'demo', clientId: null, interactionUid: null, externalId: null, loginHint: null,
  });
  const t0 = performance.now();
  await post(token, '/omni/add/front-id', input.front);
  await post(token, '/omni/process/id');
  const documentMs = performance.now() - t0;
  const challenge = await post(token, '/omni/liveness/challenge', {}, 'application/json');
  // The recording: a frame every 100 ms, the selfie after 600 ms, chunks sent as they fill.
  const frames: Array<{ base64Image: string; timestamp: number }> = [];
  const sent: Array<Promise<unknown>> = [];
  for (let k = 0; k < FRAMES; k++) {
    await sleep(FRAME_MS);
    frames.push({ base64Image: input.frames[k]!, timestamp: Date.now() });
    if (k === 5) sent.push(post(token, '/omni/add/face', input.selfie));
    if (frames.length % CHUNK === 0) {
      sent.push(post(token, '/omni/liveness/prefetch-frames', { challengeId: challenge.challengeId, frames: frames.slice(-CHUNK) }, 'application/json'));
    }
  }
  const t1 = performance.now();
  await Promise.all(sent);
  await post(token, '/omni/add/liveness-frames', { challengeId: challenge.challengeId, frames }, 'application/json');
  const result = await post(token, '/omni/process/face');
  return { ms: documentMs + performance.now() - t1, state: result.state };
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

const p50 = percentile(sequential, 50);
const p95 = percentile(sequential, 95);
const base50 = percentile(baseline, 50);
console.log(
  'verify-latency: the person\'s wait (warm models, engine threads per pool: %s, liveness burst: %d frames of 320 px recorded at 10/s, MALLOC_ARENA_MAX=%s)',
  values.threads, FRAMES, process.env.MALLOC_ARENA_MAX ?? 'unset',
);
console.log('| measure | value |\n|---|---|');
console.log(`| full verification p50 | ${p50.toFixed(0)} ms |`);
console.log(`| full verification p95 | ${p95.toFixed(0)} ms |`);
console.log(`| baseline: engines only (document + 2 faces, no HTTP/DB/frames) p50 | ${base50.toFixed(0)} ms |`);
console.log(`| ratio full / baseline (p50) | ${(p50 / base50).toFixed(2)} |`);
console.log(`| throughput, ${concurrency} concurrent sessions | ${((n / wall) * 60_000).toFixed(1)} verifications/min |`);
console.log(`| RSS | ${rssMb} MB |`);
await app.server.close();
await engines.close();
await rm(dataDir, { recursive: true, force: true });
console.log(JSON.stringify({ p50_ms: Math.round(p50), p95_ms: Math.round(p95), rss_mb: rssMb }));
