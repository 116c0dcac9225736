// Candidate recognition models and fusions on the face fixtures: node bench/face-model-study.ts [--dir DIR] [--threads N] [--cache FILE] [--deep]
// Each model gets the chip it was trained on (bench/support/face-model-study-worker.ts); the
// embeddings are cached (biometric data: keep the file in /tmp) and every variant is scored with
// the same pairs as bench/eval-faces.ts. Research tool behind the table in docs/face-matching.md.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Piscina } from 'piscina';
import { equalErrorRate, errorRatesAt, thresholdForFar } from '../src/biometrics/match-metrics.ts';
import type { ScoredPairs } from '../src/biometrics/match-metrics.ts';
import { formPairs, listSamples, splitByIdentity } from './support/face-pairs.ts';
import type { Pair } from './support/face-pairs.ts';

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string', default: resolve(import.meta.dirname, '../../shared/fixtures/faces') },
    threads: { type: 'string', default: '2' },
    cache: { type: 'string', default: '/tmp/verid-face-model-study.json' },
    deep: { type: 'boolean', default: false },
  },
});
type Embeddings = Record<string, number[]> | null;
/** Bump when the worker's outputs change: an older cache is then embedded again. */
const CACHE_FORMAT = 2;
const dir = resolve(args.dir);
const samples = await listSamples(dir);

async function embedAll(): Promise<Embeddings[]> {
  if (existsSync(args.cache)) {
    const cache = JSON.parse(await readFile(args.cache, 'utf8')) as { format?: number; deep?: boolean; embeddings?: Record<string, Embeddings> };
    const cached = cache.embeddings ?? {};
    if (cache.format === CACHE_FORMAT && cache.deep === args.deep && samples.every((s) => s.file in cached)) return samples.map((s) => cached[s.file]!);
  }
  const pool = new Piscina({ filename: new URL('./support/face-model-study-worker.ts', import.meta.url).href, maxThreads: Number(args.threads), minThreads: Number(args.threads) });
  const started = performance.now();
  const out = await Promise.all(samples.map(async (s) => (await pool.run({ image: new Uint8Array(await readFile(join(dir, s.file))), deep: args.deep })) as Embeddings));
  console.log(`embedded ${samples.length} images in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  await pool.destroy();
  const embeddings = Object.fromEntries(samples.map((s, i) => [s.file, out[i]]));
  await writeFile(args.cache, JSON.stringify({ format: CACHE_FORMAT, deep: args.deep, embeddings }));
  return out;
}

const embeddings = await embedAll();
const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const single = Object.keys(embeddings.find((e) => e)!);
const has = (i: number): boolean => embeddings[i] !== null;
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
type Pairs = { genuine: Pair[]; impostor: Pair[] };
const scores = (pairs: Pairs): ScoredPairs => ({ genuine: pairs.genuine.map((p) => p.score), impostor: pairs.impostor.map((p) => p.score) });
const PREFIXES = ['london', 'congress', 'lfw', 'deepface', 'bbt'];

/** One row: pooled EER and FRR at FAR 0.1 % / 0.01 %, same-source impostors, per prefix, and the held-out split. */
function summary(label: string, pairs: Pairs): void {
  const all = scores(pairs);
  const within = { genuine: all.genuine, impostor: pairs.impostor.filter((p) => p.prefixes !== 'mixed').map((p) => p.score) };
  const f3 = thresholdForFar(all, 0.001);
  const f4 = thresholdForFar(all, 0.0001);
  const w4 = thresholdForFar(within, 0.0001);
  const perPrefix = (t: number) => PREFIXES.map((prefix) => {
    const g = pairs.genuine.filter((p) => p.prefixes === prefix);
    return `${prefix}=${pct(g.filter((p) => p.score < t).length / g.length)}`;
  }).join(' ');
  const { calibration, test } = splitByIdentity(pairs);
  const held = [0.001, 0.0001].map((target) => errorRatesAt(scores(test), thresholdForFar(scores(calibration), target).threshold));
  console.log(`${label.padEnd(30)} EER=${pct(equalErrorRate(all).eer)} FRR@1e-3=${pct(f3.frr)} FRR@1e-4=${pct(f4.frr)} (t=${f4.threshold.toFixed(4)}) within-src FRR@1e-4=${pct(w4.frr)}`);
  console.log(`${''.padEnd(30)} held-out (A->B) @1e-3 FAR=${pct(held[0]!.far)} FRR=${pct(held[0]!.frr)}; @1e-4 FAR=${pct(held[1]!.far)} FRR=${pct(held[1]!.frr)}`);
  console.log(`${''.padEnd(30)} per-prefix FRR @1e-3: ${perPrefix(f3.threshold)} | @1e-4: ${perPrefix(f4.threshold)}`);
}

const cosine = (key: string) => (i: number, j: number): number => dot(embeddings[i]![key]!, embeddings[j]![key]!);
for (const key of single) summary(key, formPairs(samples, has, cosine(key)));

// Fusions: weighted mean of cosines, which is the cosine of the concatenated unit parts scaled by
// sqrt(weight). Z-normalising each part by its impostor mean and spread is the same family (a sum of
// z-scores is a weighted sum of cosines with weights 1/sigma, shifted): its weight is printed.
const pairsOf = (key: string) => formPairs(samples, has, cosine(key));
const spread = (key: string): { mean: number; sd: number } => {
  const { calibration } = splitByIdentity(pairsOf(key));
  const x = calibration.impostor.map((p) => p.score);
  const m = x.reduce((s, v) => s + v, 0) / x.length;
  return { mean: m, sd: Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / x.length) };
};
for (const [a, b] of [['faceapi', 'mobilefaceAvg'], ['faceapiSingle', 'mobileface'], ...(args.deep ? [['faceapi', 'deep0.25_255']] : [])] as Array<[string, string]>) {
  if (!(b in embeddings.find((e) => e)!)) continue;
  const za = spread(a);
  const zb = spread(b);
  const zWeight = (1 / zb.sd) / (1 / za.sd + 1 / zb.sd);
  console.log(`\n${a}+${b}: impostor cosine mean/sd (half A) ${za.mean.toFixed(3)}/${za.sd.toFixed(3)} and ${zb.mean.toFixed(3)}/${zb.sd.toFixed(3)}; equal z-score weights = w ${zWeight.toFixed(3)}`);
  for (const w of [...[0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.7], zWeight]) {
    const label = `${a}+${b} w=${w.toFixed(3)}${w === zWeight ? ' (z)' : ''}`;
    summary(label, formPairs(samples, has, (i, j) => (1 - w) * cosine(a)(i, j) + w * cosine(b)(i, j)));
  }
}
