// Fixture samples and comparison pairs shared by bench/eval-faces.ts and bench/face-model-study.ts.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface FixtureSample {
  /** Path under the fixtures folder, e.g. genuine/lfw_x/1.jpg. */
  file: string;
  identity: string;
  /** Source prefix (london, congress, lfw, ...): results are reported per prefix. */
  prefix: string;
}

export interface Pair {
  score: number;
  /** The common prefix of both samples, or 'mixed'. */
  prefixes: string;
  /** Both identities, for the held-out split. */
  identities: [string, string];
}

const IMAGE = /\.(jpe?g|png|webp)$/i;
/** Deterministic sample if the set ever grows huge: keep every k-th impostor pair. */
const MAX_IMPOSTOR_PAIRS = 2_000_000;

export async function listSamples(dir: string): Promise<FixtureSample[]> {
  const samples: FixtureSample[] = [];
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

// Unnamed celebrities in deepface_* may also appear in lfw_*: never call them impostors of each other.
function mayBeSamePerson(a: FixtureSample, b: FixtureSample): boolean {
  const pair = [a.prefix, b.prefix].sort().join('+');
  return a.identity === b.identity || pair === 'deepface+lfw';
}

/**
 * Every genuine pair (a missing template scores -Infinity: a rejection) and every allowed impostor
 * pair where both templates exist (a template never made cannot be falsely accepted).
 * `score(i, j)` compares samples i and j; `hasTemplate(i)` says whether sample i has one.
 */
export function formPairs(samples: readonly FixtureSample[], hasTemplate: (i: number) => boolean, score: (i: number, j: number) => number): { genuine: Pair[]; impostor: Pair[] } {
  const genuine: Pair[] = [];
  const impostor: Pair[] = [];
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const a = samples[i]!;
      const b = samples[j]!;
      const prefixes = a.prefix === b.prefix ? a.prefix : 'mixed';
      const identities: [string, string] = [a.identity, b.identity];
      if (a.identity === b.identity) genuine.push({ score: hasTemplate(i) && hasTemplate(j) ? score(i, j) : Number.NEGATIVE_INFINITY, prefixes, identities });
      else if (!mayBeSamePerson(a, b) && hasTemplate(i) && hasTemplate(j)) impostor.push({ score: score(i, j), prefixes, identities });
    }
  }
  const step = Math.ceil(impostor.length / MAX_IMPOSTOR_PAIRS);
  return { genuine, impostor: step > 1 ? impostor.filter((_, k) => k % step === 0) : impostor };
}

/** Which half of a deterministic identity split a name falls in (FNV-1a hash, low bit). */
function half(identity: string): 0 | 1 {
  let h = 0x811c9dc5;
  for (let i = 0; i < identity.length; i++) h = Math.imul(h ^ identity.charCodeAt(i), 0x01000193);
  return (h & 1) as 0 | 1;
}

/**
 * Held-out split by identity: `calibration` holds the pairs whose identities are both in the
 * first half, `test` those both in the second; pairs across halves are in neither.
 */
export function splitByIdentity(pairs: { genuine: Pair[]; impostor: Pair[] }): { calibration: { genuine: Pair[]; impostor: Pair[] }; test: { genuine: Pair[]; impostor: Pair[] } } {
  const inHalf = (h: 0 | 1) => (p: Pair) => half(p.identities[0]) === h && half(p.identities[1]) === h;
  const pick = (h: 0 | 1) => ({ genuine: pairs.genuine.filter(inHalf(h)), impostor: pairs.impostor.filter(inHalf(h)) });
  return { calibration: pick(0), test: pick(1) };
}
