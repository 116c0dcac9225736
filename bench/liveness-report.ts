// Liveness section of bench/eval-faces.ts: Human's passive scores on spoof/live vs spoof/attack,
// and the active challenge on every sample replayed as a still burst (which must all fail).
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createChallenge, DEFAULT_FACE_MATCH_THRESHOLD, PASSIVE_SPOOF_THRESHOLD, verifyChallenge } from '../src/biometrics/index.ts';
import type { FaceMatcher, FrameAnalysis } from '../src/biometrics/index.ts';

interface Scored {
  file: string;
  frame: FrameAnalysis;
}

const IMAGE = /\.(jpe?g|png|webp)$/i;
const fmt = (x: number | null | undefined): string => (x === null || x === undefined ? '   -' : x.toFixed(2));

function quantiles(values: number[]): string {
  if (values.length === 0) return 'n/a';
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `min ${fmt(s[0])} p10 ${fmt(q(0.1))} median ${fmt(q(0.5))} max ${fmt(s[s.length - 1])}`;
}

/** Probability that a random live sample scores above a random attack sample (0.5 = no separation). */
function auc(live: number[], attack: number[]): number {
  let wins = 0;
  for (const l of live) for (const a of attack) wins += l > a ? 1 : l === a ? 0.5 : 0;
  return live.length && attack.length ? wins / (live.length * attack.length) : Number.NaN;
}

async function analyseSet(matcher: FaceMatcher, dir: string): Promise<Scored[]> {
  const files = (await readdir(dir)).filter((f) => IMAGE.test(f)).sort();
  const frames = await matcher.analyzeFrames(await Promise.all(files.map(async (f) => new Uint8Array(await readFile(join(dir, f))))));
  return files.map((file, i) => ({ file, frame: frames[i]! }));
}

/** A still replayed as a 10-frame burst: the analysis of one frame, repeated (the models are deterministic). */
function stillBurstFails(frame: FrameAnalysis, seed: number): boolean {
  const frames = Array.from({ length: 10 }, (_, i) => ({ ...frame, timestamp: 1_000 + i * 100 }));
  let state = seed + 1;
  const steps = createChallenge((n) => (state = (state * 16807) % 2147483647) % n);
  const result = verifyChallenge({ steps, frames, issuedAt: 0, expiresAt: 60_000, enrolledEmbedding: frame.embedding, threshold: DEFAULT_FACE_MATCH_THRESHOLD });
  return result.status === 'FAIL';
}

export async function livenessReport(matcher: FaceMatcher, facesDir: string): Promise<void> {
  const liveDir = join(facesDir, 'spoof', 'live');
  const attackDir = join(facesDir, 'spoof', 'attack');
  if (!existsSync(liveDir) || !existsSync(attackDir)) {
    console.log('\nliveness: no spoof/live and spoof/attack folders, skipped');
    return;
  }
  const sets = { live: await analyseSet(matcher, liveDir), attack: await analyseSet(matcher, attackDir) };
  console.log('\nLIVENESS (single images; passive scores of Human 3.3: liveness, antispoof; higher = more likely live)');
  for (const [name, samples] of Object.entries(sets)) {
    const found = samples.filter((s) => s.frame.faceCount > 0);
    const liveness = found.flatMap((s) => (s.frame.passive.liveness === null ? [] : [s.frame.passive.liveness]));
    const antispoof = found.flatMap((s) => (s.frame.passive.antispoof === null ? [] : [s.frame.passive.antispoof]));
    console.log(`  ${name.padEnd(7)} n=${samples.length} face found=${found.length}`);
    console.log(`          liveness  ${quantiles(liveness)}`);
    console.log(`          antispoof ${quantiles(antispoof)}`);
  }
  const scores = (set: Scored[], key: 'liveness' | 'antispoof'): number[] =>
    set.flatMap((s) => (s.frame.passive[key] === null ? [] : [s.frame.passive[key]!]));
  for (const key of ['liveness', 'antispoof'] as const) {
    console.log(`  AUC ${key.padEnd(9)} (live > attack): ${auc(scores(sets.live, key), scores(sets.attack, key)).toFixed(3)}`);
  }
  const attackFaces = sets.attack.filter((s) => s.frame.faceCount > 0);
  const liveFaces = sets.live.filter((s) => s.frame.faceCount > 0);
  const flagged = (s: Scored): boolean => (s.frame.passive.liveness ?? 1) < PASSIVE_SPOOF_THRESHOLD;
  console.log(
    `  gate liveness < ${PASSIVE_SPOOF_THRESHOLD}: attacks flagged ${attackFaces.filter(flagged).length}/${attackFaces.length}` +
      `, live flagged ${liveFaces.filter(flagged).length}/${liveFaces.length}`,
  );
  const all = [...liveFaces, ...attackFaces];
  const failed = all.filter((s, i) => stillBurstFails(s.frame, i)).length;
  console.log(`  active challenge on each sample replayed as a still 10-frame burst: FAIL ${failed}/${all.length} (must be all)`);
  for (const s of [...sets.live, ...sets.attack]) {
    console.log(`    ${s.file.padEnd(30)} faces=${s.frame.faceCount} liveness=${fmt(s.frame.passive.liveness)} antispoof=${fmt(s.frame.passive.antispoof)}`);
  }
}
