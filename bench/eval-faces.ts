// Face-matching evaluation: node bench/eval-faces.ts [--dir DIR] [--threads N] [--cache FILE]
// Analyses every fixture image once, scores all genuine and impostor pairs, prints ROC points,
// EER and FAR/FRR at DEFAULT_FACE_MATCH_THRESHOLD, overall and per source prefix.
// Then the selfie-quality section (bench/quality-report.ts) and the liveness section (bench/liveness-report.ts) on spoof/live and spoof/attack.
// Then FRR at FAR <= 0.01% (with 95% intervals and the margin around that threshold) and a
// held-out split: threshold calibrated on half of the identities, FAR/FRR measured on the other half.
// LAST line: one JSON object {threshold, far, frr, fte, eer, pairs_genuine, pairs_impostor,
// frr_far_1e4, threshold_far_1e4, heldout_far_1e4, heldout_frr_1e4}.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createFaceMatcher, DEFAULT_FACE_MATCH_THRESHOLD, faceSimilarity } from '../src/biometrics/index.ts';
import { equalErrorRate, errorRatesAt, rateInterval95, thresholdForFar } from '../src/biometrics/match-metrics.ts';
import type { ErrorRates, ScoredPairs } from '../src/biometrics/match-metrics.ts';
import { formPairs, listSamples, splitByIdentity } from './support/face-pairs.ts';
import type { FixtureSample, Pair } from './support/face-pairs.ts';
import { clipReport, livenessReport } from './liveness-report.ts';
import { qualityReport } from './quality-report.ts';

type Sample = FixtureSample & { embedding: number[] | null };

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string', default: resolve(import.meta.dirname, '../../shared/fixtures/faces') },
    threads: { type: 'string', default: '1' },
    // Embeddings of the fixtures, to re-score without re-running the models. Biometric data: keep in /tmp.
    cache: { type: 'string' },
  },
});

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
const { genuine, impostor } = formPairs(samples, (i) => samples[i]!.embedding !== null, (i, j) => faceSimilarity(samples[i]!.embedding!, samples[j]!.embedding!));
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

// FAR 0.01 %: how far the evaluated set can see, and the margin genuine scores keep above the threshold.
const count = (scores: readonly number[], t: number): number => scores.filter((x) => x >= t).length;
const interval = (errors: number, trials: number): string => {
  const { low, high } = rateInterval95(errors, trials);
  return `[${pct(low).trim()}..${pct(high).trim()}]`;
};
const far4 = thresholdForFar(all, 0.0001);
const accepts4 = count(all.impostor, far4.threshold);
console.log(`\nFAR<=0.01%: t=${far4.threshold.toFixed(3)} FAR=${pct(far4.far)} (${accepts4} of ${all.impostor.length} impostor pairs, 95% CI ${interval(accepts4, all.impostor.length)})` +
  ` FRR=${pct(far4.frr)} (95% CI ${interval(Math.round(far4.frr * all.genuine.length), all.genuine.length)})`);
console.log(`${''.padEnd(10)} ${all.impostor.length < 30_000 ? 'too few impostor pairs to resolve FAR 0.01% (needs >= 10 000 with no error, ~30 000 for a 95% bound)' : 'impostor pairs share images: they are not independent, so the real uncertainty is wider than the CI'}`);
const within4 = thresholdForFar(withinSource, 0.0001);
console.log(`${''.padEnd(10)} within-source FAR<=0.01% needs t=${within4.threshold.toFixed(3)} (FRR=${pct(within4.frr)}, ${withinSource.impostor.length} pairs)`);
for (const delta of [-0.01, -0.005, 0.005, 0.01]) {
  const t = far4.threshold + delta;
  console.log(`${''.padEnd(10)} margin: at t${delta > 0 ? '+' : ''}${delta} FAR=${pct(errorRatesAt(all, t).far)} FRR=${pct(errorRatesAt(all, t).frr)}`);
}

// Held-out: the threshold is calibrated on one half of the identities and judged on the other half.
const { calibration, test } = splitByIdentity({ genuine, impostor });
const scoresOf = (pairs: { genuine: Pair[]; impostor: Pair[] }): ScoredPairs => ({ genuine: pairs.genuine.map((p) => p.score), impostor: pairs.impostor.map((p) => p.score) });
const heldOut = (target: number): ErrorRates & { accepts: number } => {
  const t = thresholdForFar(scoresOf(calibration), target).threshold;
  const rates = errorRatesAt(scoresOf(test), t);
  return { ...rates, accepts: count(scoresOf(test).impostor, t) };
};
console.log(`\nheld-out (calibrate on half A: ${calibration.genuine.length} genuine / ${calibration.impostor.length} impostor pairs; measure on half B: ${test.genuine.length} / ${test.impostor.length})`);
for (const target of [0.001, 0.0001]) {
  const h = heldOut(target);
  console.log(`  FAR<=${pct(target)} on A -> t=${h.threshold.toFixed(3)}; on B FAR=${pct(h.far)} (${h.accepts} accepts, 95% CI ${interval(h.accepts, test.impostor.length)}) FRR=${pct(h.frr)} (95% CI ${interval(Math.round(h.frr * test.genuine.length), test.genuine.length)})`);
}
const heldOut4 = heldOut(0.0001);

const eer = equalErrorRate(all);
const at = errorRatesAt(all, DEFAULT_FACE_MATCH_THRESHOLD);
console.log(JSON.stringify({
  threshold: DEFAULT_FACE_MATCH_THRESHOLD, far: at.far, frr: at.frr, fte, eer: eer.eer, pairs_genuine: genuine.length, pairs_impostor: impostor.length,
  frr_far_1e4: far4.frr, threshold_far_1e4: far4.threshold, heldout_far_1e4: heldOut4.far, heldout_frr_1e4: heldOut4.frr,
}));
