import { randomInt } from 'node:crypto';
import {
  createChallenge, createFaceMatcher, DEFAULT_FACE_MATCH_THRESHOLD, FACE_TEMPLATE_DIMENSIONS, faceSimilarity, TemplateIndex, verifyChallenge,
} from './biometrics/index.ts';
import { CONFIG_KEYS, type Config } from './config/index.ts';
import { checkExpectedName, createDocumentReader } from './documents/index.ts';
import type { DocumentEngine, FaceEngine, LivenessEngine } from './verification/index.ts';
import type { TemplateIndexPort } from './verification/indexed-face-search.ts';

export interface Engines {
  documents: DocumentEngine;
  faces: FaceEngine;
  liveness: LivenessEngine;
  /** Whether work nobody waits for (prefetch) may be queued on each pool now. */
  spareCapacity: { documents(): boolean; faces(): boolean };
  /** A new, empty 1:N face index (one per database). */
  createTemplateIndex(): TemplateIndexPort;
  close(): Promise<void>;
}

/** The real engines, each in its own worker pool. Expensive to start: tests share one instance. */
export function createEngines(
  config: Pick<Config, 'engineThreads' | 'faceMatchThreshold'> & Partial<Pick<Config, 'documentMaxQueue' | 'faceMaxQueue' | 'engineNice'>>,
): Engines {
  const nice = config.engineNice ?? CONFIG_KEYS.engineNice.default;
  const reader = createDocumentReader({ maxThreads: config.engineThreads, maxQueue: config.documentMaxQueue ?? CONFIG_KEYS.documentMaxQueue.default, nice });
  const matcher = createFaceMatcher({ maxThreads: config.engineThreads, maxQueue: config.faceMaxQueue ?? CONFIG_KEYS.faceMaxQueue.default, nice });
  const threshold = config.faceMatchThreshold ?? DEFAULT_FACE_MATCH_THRESHOLD;
  return {
    documents: { read: (front, back, options) => reader.read(front, back, options), matchName: checkExpectedName },
    faces: {
      analyze: (image, kind) => matcher.analyze(image, kind),
      similarity: faceSimilarity,
      threshold,
    },
    liveness: {
      createChallenge: (length) => createChallenge((max) => randomInt(max), length),
      prefetch: (frames) => matcher.prefetchFrames(frames),
      hasCapacity: () => matcher.hasSpareCapacity(),
      verify: async (input) => {
        const analyses = await matcher.analyzeFrames(input.frames.map((f) => f.image));
        return verifyChallenge({
          steps: input.steps as Parameters<typeof verifyChallenge>[0]['steps'],
          frames: analyses.map((a, i) => ({ ...a, step: input.frames[i]!.step })),
          enrolledEmbedding: input.referenceEmbedding,
          threshold,
        });
      },
    },
    spareCapacity: { documents: () => reader.hasSpareCapacity(), faces: () => matcher.hasSpareCapacity() },
    createTemplateIndex: () => new TemplateIndex(FACE_TEMPLATE_DIMENSIONS),
    close: async () => {
      await Promise.all([reader.close(), matcher.close()]);
    },
  };
}
