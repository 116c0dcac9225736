import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { createFaceMatcher, DEFAULT_FACE_MATCH_THRESHOLD, faceSimilarity } from '../biometrics/index.ts';
import type { FaceAnalysis, FaceImageKind } from '../biometrics/index.ts';
import type { Config } from '../config/index.ts';
import { print, type Output } from './output.ts';

export type CompareDecision = 'match' | 'no_match' | 'no_face';

/** What an operator sees of one image: everything but the template (biometric PII stays in). */
function describeFace(analysis: FaceAnalysis) {
  return {
    faceCount: analysis.faceCount,
    box: analysis.box,
    detectionScore: analysis.detectionScore === null ? null : Number(analysis.detectionScore.toFixed(3)),
    quality: analysis.quality,
    reasons: analysis.reasons,
  };
}

export interface CompareOptions {
  threshold: number;
  kinds: [FaceImageKind, FaceImageKind];
}

/** Compares the faces of two image files: the JSON document `verid compare` prints. */
export async function compareFaces(a: string, b: string, options: CompareOptions) {
  const [imageA, imageB] = await Promise.all([readFile(a), readFile(b)]);
  const matcher = createFaceMatcher({ maxThreads: 1 });
  try {
    const faceA = await matcher.analyze(imageA, options.kinds[0]);
    const faceB = await matcher.analyze(imageB, options.kinds[1]);
    const similarity = faceA.embedding && faceB.embedding ? faceSimilarity(faceA.embedding, faceB.embedding) : null;
    const decision: CompareDecision = similarity === null ? 'no_face' : similarity >= options.threshold ? 'match' : 'no_match';
    return {
      similarity: similarity === null ? null : Number(similarity.toFixed(4)),
      threshold: options.threshold,
      decision,
      faces: { a: describeFace(faceA), b: describeFace(faceB) },
    };
  } finally {
    await matcher.close();
  }
}

const isKind = (kind: string): kind is FaceImageKind => kind === 'selfie' || kind === 'document';

/**
 * `verid compare A B`: what an operator uses to investigate a disputed result. Always prints one
 * JSON document (issue 3), with or without --json; `_output` keeps the uniform command signature.
 */
export function compareCommand(program: Command, config: () => Config, _output: () => Output): void {
  program.command('compare <a> <b>')
    .description('Compare the faces in two images (selfie or document photo) and print similarity, threshold and decision; exit status 1 unless they match')
    .option('--kind-a <kind>', 'selfie or document (document: largest face, quality not assessed)', 'selfie')
    .option('--kind-b <kind>', 'selfie or document', 'selfie')
    .option('--threshold <similarity>', 'override the configured match threshold (0..1)')
    .action(async (a: string, b: string, opts: { kindA: string; kindB: string; threshold?: string }) => {
      const { kindA, kindB } = opts;
      if (!isKind(kindA) || !isKind(kindB)) throw new Error('--kind-a/--kind-b must be selfie or document');
      const threshold = opts.threshold === undefined
        ? config().faceMatchThreshold ?? DEFAULT_FACE_MATCH_THRESHOLD
        : Number(opts.threshold);
      if (!(threshold > 0 && threshold < 1)) throw new Error('--threshold must be between 0 and 1');
      const result = await compareFaces(a, b, { threshold, kinds: [kindA, kindB] });
      print('json', result);
      // Scripts branch on the status: 0 only for a match.
      if (result.decision !== 'match') process.exitCode = 1;
    });
}
