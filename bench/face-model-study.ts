// Candidate recognition models and fusions on the face fixtures: node bench/face-model-study.ts [--dir DIR] [--threads N] --cache FILE
// Each model gets the chip it was trained on (bench/support/face-model-study-worker.ts); the
// embeddings are cached (biometric data: keep the file in /tmp) and every variant is scored with
// the same pairs as bench/eval-faces.ts. Research tool behind the table in docs/face-matching.md.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Piscina } from 'piscina';
import { equalErrorRate, thresholdForFar } from '../src/biometrics/match-metrics.ts';
import { formPairs, listSamples } from './support/face-pairs.ts';
import type { Pair } from './support/face-pairs.ts';

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string', default: resolve(import.meta.dirname, '../../shared/fixtures/faces') },
    threads: { type: 'string', default: '2' },
    cache: { type: 'string', default: '/tmp/verid-face-model-study.json' },
  },
});
type Embeddings = Record<string, number[]> | null;
const dir = resolve(args.dir);
const samples = await listSamples(dir);

async function embedAll(): Promise<Embeddings[]> {
  if (existsSync(args.cache)) {
    const cached = JSON.parse(await readFile(args.cache, 'utf8')) as Record<string, Embeddings>;
    if (samples.every((s) => s.file in cached)) return samples.map((s) => cached[s.file]!);
  }
  const pool = new Piscina({ filename: new URL('./support/face-model-study-worker.ts', import.meta.url).href, maxThreads: Number(args.threads), minThreads: Number(args.threads) });
  const started = performance.now();
  const out = await Promise.all(samples.map(async (s) => (await pool.run({ image: new Uint8Array(await readFile(join(dir, s.file))) })) as Embeddings));
  console.log(`embedded ${samples.length} images in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  await pool.destroy();
  await writeFile(args.cache, JSON.stringify(Object.fromEntries(samples.map((s, i) => [s.file, out[i]]))));
  return out;
}

const embeddings = await embedAll();
const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const mean = (a: number[], b: number[]): number[] => { const s = a.map((x, i) => x + b[i]!); const n = Math.hypot(...s); return s.map((x) => x / n); };

// Derived templates: mirror-averaged chips of the 112 px model.
for (const e of embeddings) {
  if (!e) continue;
  e.mobilefaceAvg = mean(e.mobileface!, e.mobilefaceMirror!);
}
const single = Object.keys(embeddings.find((e) => e)!);
const has = (i: number): boolean => embeddings[i] !== null;
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

function summary(label: string, pairs: { genuine: Pair[]; impostor: Pair[] }): void {
  const scored = (filter: (p: Pair) => boolean) => ({ genuine: pairs.genuine.filter(filter).map((p) => p.score), impostor: pairs.impostor.filter(filter).map((p) => p.score) });
  const all = scored(() => true);
  const within = { genuine: all.genuine, impostor: pairs.impostor.filter((p) => p.prefixes !== 'mixed').map((p) => p.score) };
  const f3 = thresholdForFar(all, 0.001);
  const f4 = thresholdForFar(all, 0.0001);
  const w4 = thresholdForFar(within, 0.0001);
  const perPrefix = ['congress', 'lfw', 'bbt', 'london', 'deepface'].map((prefix) => {
    const g = pairs.genuine.filter((p) => p.prefixes === prefix);
    return `${prefix}=${pct(g.filter((p) => p.score < f4.threshold).length / g.length)}`;
  });
  console.log(`${label.padEnd(34)} EER=${pct(equalErrorRate(all).eer)} FRR@1e-3=${pct(f3.frr)} FRR@1e-4=${pct(f4.frr)} (t=${f4.threshold.toFixed(3)}) within-src FRR@1e-4=${pct(w4.frr)}  per-prefix FRR@1e-4: ${perPrefix.join(' ')}`);
}

for (const key of single) summary(key, formPairs(samples, has, (i, j) => dot(embeddings[i]![key]!, embeddings[j]![key]!)));

// Fusions: weighted mean of cosines (the same as the cosine of concatenated, weighted unit templates).
const fusions: Array<[string, Array<[string, number]>]> = [];
for (const w of [0.3, 0.4, 0.5, 0.6, 0.7]) {
  fusions.push([`faceapi+deep w=${w}`, [['faceapi', 1 - w], ['deep0.25_255', w]]]);
  fusions.push([`faceapi+mobilefaceAvg w=${w}`, [['faceapi', 1 - w], ['mobilefaceAvg', w]]]);
}
for (const [label, parts] of fusions) {
  if (!parts.every(([k]) => k in embeddings.find((e) => e)!)) continue;
  summary(label, formPairs(samples, has, (i, j) => parts.reduce((s, [k, w]) => s + w * dot(embeddings[i]![k]!, embeddings[j]![k]!), 0)));
}
