// Face-matching evaluation: node bench/eval-faces.ts [--dir DIR] [--threads N] [--cache FILE]
// Analyses every fixture image once, scores all genuine and impostor pairs, prints ROC points,
// EER and FAR/FRR at DEFAULT_FACE_MATCH_THRESHOLD, overall and per source prefix.
// Then the selfie-quality section (bench/quality-report.ts) and the liveness section (bench/liveness-report.ts) on spoof/live and spoof/attack.
// LAST line: one JSON object {threshold, far, frr, fte, eer, pairs_genuine, pairs_impostor}.
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createFaceMatcher, DEFAULT_FACE_MATCH_THRESHOLD, faceSimilarity } from '../src/biometrics/index.ts';
import { equalErrorRate, errorRatesAt, thresholdForFar } from '../src/biometrics/match-metrics.ts';
import type { ScoredPairs } from '../src/biometrics/match-metrics.ts';
import { clipReport, livenessReport } from './liveness-report.ts';
import { qualityReport } from './quality-report.ts';

interface Sample {
  file: string;
  identity: string;
  prefix: string;
  embedding: number[] | null;
}

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string', default: resolve(import.meta.dirname, '../../shared/fixtures/faces') },
    threads: { type: 'string', default: '1' },
    // Embeddings of the fixtures, to re-score without re-running the models. Biometric data: keep in /tmp.
    cache: { type: 'string' },
  },
});
const IMAGE = /\.(jpe?g|png|webp)$/i;
const MAX_IMPOSTOR_PAIRS = 2_000_000;

async function listSamples(dir: string): Promise<Omit<Sample, 'embedding'>[]> {
  const samples: Omit<Sample, 'embedding'>[] = [];
  for (const person of (await readdir(join(dir, 'genuine'))).sort()) {
    for (const file of (await readdir(join(dir, 'genuine', person))).sort()) {
      if (IMAGE.test(file)) samples.push({ file: join('genuine', person, file), identity: person, prefix: person.split('_')[0]! });
    }
  }
  for (const file of (await readdir(join(dir, 'impostor'))).sort()) {
    const identity = file.replace(IMAGE, '');
    if (IMAGE.test(file)) samples.push({ file: join('impostor', file), identity, prefix: identity.split('_')[0]! });
  }
  return samples;
}

const impostorTemplates = (samples: Sample[]): number[][] =>
  samples.flatMap((s) => (s.file.startsWith('impostor') && s.embedding ? [s.embedding] : []));

async function analyseAll(dir: string): Promise<{ samples: Sample[]; msPerImage: number; rssMB: number }> {
  const listed = await listSamples(dir);
  if (args.cache && existsSync(args.cache)) {
    const cached = JSON.parse(await readFile(args.cache, 'utf8')) as Record<string, number[] | null>;
    if (listed.every((s) => s.file in cached)) {
      const samples = listed.map((s) => ({ ...s, embedding: cached[s.file] ?? null }));
      const matcher = createFaceMatcher({ maxThreads: Number(args.threads) });
      await livenessReport(matcher, dir);
      await clipReport(matcher, impostorTemplates(samples));
      await matcher.close();
      return { samples, msPerImage: NaN, rssMB: NaN };
    }
  }
  const matcher = createFaceMatcher({ maxThreads: Number(args.threads) });
  await matcher.analyze(await readFile(join(dir, listed[0]!.file)), 'selfie'); // load models outside the timing
  const started = performance.now();
  const analyses = await Promise.all(listed.map(async (s) => ({ file: s.file, analysis: await matcher.analyze(await readFile(join(dir, s.file)), 'selfie') })));
  const samples = listed.map((s, i) => ({ ...s, embedding: analyses[i]!.analysis.embedding }));
  const msPerImage = (performance.now() - started) / listed.length;
  const rssMB = Math.round(process.memoryUsage().rss / 1e6); // worker threads share the process
  qualityReport(analyses);
  await livenessReport(matcher, dir);
  await clipReport(matcher, impostorTemplates(samples));
  await matcher.close();
  if (args.cache) await writeFile(args.cache, JSON.stringify(Object.fromEntries(samples.map((s) => [s.file, s.embedding]))));
  return { samples, msPerImage, rssMB };
}

// Unnamed celebrities in deepface_* may also appear in lfw_*: never call them impostors of each other.
function mayBeSamePerson(a: Sample, b: Sample): boolean {
  const pair = [a.prefix, b.prefix].sort().join('+');
  return a.identity === b.identity || pair === 'deepface+lfw';
}

interface Pair {
  score: number;
  prefixes: string;
}

function score(a: Sample, b: Sample): number {
  return a.embedding && b.embedding ? faceSimilarity(a.embedding, b.embedding) : Number.NEGATIVE_INFINITY;
}

function formPairs(samples: Sample[]): { genuine: Pair[]; impostor: Pair[] } {
  const genuine: Pair[] = [];
  const impostor: Pair[] = [];
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const a = samples[i]!;
      const b = samples[j]!;
      const prefixes = a.prefix === b.prefix ? a.prefix : 'mixed';
      if (a.identity === b.identity) genuine.push({ score: score(a, b), prefixes });
      // A template that was never made cannot be falsely accepted: impostor pairs need both.
      else if (!mayBeSamePerson(a, b) && a.embedding && b.embedding) impostor.push({ score: score(a, b), prefixes });
    }
  }
  // Deterministic sample if the set ever grows huge: keep every k-th pair.
  const step = Math.ceil(impostor.length / MAX_IMPOSTOR_PAIRS);
  return { genuine, impostor: step > 1 ? impostor.filter((_, k) => k % step === 0) : impostor };
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`.padStart(8);

function report(label: string, pairs: ScoredPairs): void {
  const eer = equalErrorRate(pairs);
  const at = errorRatesAt(pairs, DEFAULT_FACE_MATCH_THRESHOLD);
  console.log(
    `${label.padEnd(10)} genuine=${String(pairs.genuine.length).padStart(5)} impostor=${String(pairs.impostor.length).padStart(7)}` +
      `  EER=${pct(eer.eer)} (t=${eer.threshold.toFixed(3)})  at t=${DEFAULT_FACE_MATCH_THRESHOLD}: FAR=${pct(at.far)} FRR=${pct(at.frr)}`,
  );
}

const dir = resolve(args.dir);
const { samples, msPerImage, rssMB } = await analyseAll(dir);
const fte = samples.filter((s) => !s.embedding).length / samples.length;
const { genuine, impostor } = formPairs(samples);
const all: ScoredPairs = { genuine: genuine.map((p) => p.score), impostor: impostor.map((p) => p.score) };

console.log(`images=${samples.length} fte=${pct(fte)} ms/image=${msPerImage.toFixed(0)} rss=${rssMB}MB (process with its workers)`);
console.log('\nROC (threshold: FAR / FRR)');
for (const target of [0.1, 0.01, 0.001, 0.0001]) {
  const p = thresholdForFar(all, target);
  console.log(`  FAR<=${pct(target)}  t=${p.threshold.toFixed(3)}  FAR=${pct(p.far)} FRR=${pct(p.frr)}`);
}
console.log('\nper source prefix (impostor pairs within the prefix; FRR counts a missing face as a rejection)');
for (const prefix of [...new Set(samples.map((s) => s.prefix))].sort()) {
  const perPrefix: ScoredPairs = {
    genuine: genuine.filter((p) => p.prefixes === prefix).map((p) => p.score),
    impostor: impostor.filter((p) => p.prefixes === prefix).map((p) => p.score),
  };
  const missing = samples.filter((s) => s.prefix === prefix && !s.embedding).length;
  report(prefix, perPrefix);
  if (missing > 0) console.log(`${''.padEnd(10)} not found: ${samples.filter((s) => s.prefix === prefix && !s.embedding).map((s) => s.file).join(' ')}`);
}
console.log('');
// Same-source impostors are the harder, more realistic ones (same camera, studio, demographics).
const withinSource: ScoredPairs = { genuine: all.genuine, impostor: impostor.filter((p) => p.prefixes !== 'mixed').map((p) => p.score) };
report('within-src', withinSource);
const strict = thresholdForFar(withinSource, 0.001);
console.log(`${''.padEnd(10)} within-source FAR<=0.1% needs t=${strict.threshold.toFixed(3)} (FRR=${pct(strict.frr)})`);
report('ALL', all);
const eer = equalErrorRate(all);
const at = errorRatesAt(all, DEFAULT_FACE_MATCH_THRESHOLD);
console.log(JSON.stringify({ threshold: DEFAULT_FACE_MATCH_THRESHOLD, far: at.far, frr: at.frr, fte, eer: eer.eer, pairs_genuine: genuine.length, pairs_impostor: impostor.length }));
