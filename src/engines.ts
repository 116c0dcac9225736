import { createFaceMatcher, DEFAULT_FACE_MATCH_THRESHOLD, faceSimilarity } from './biometrics/index.ts';
import type { Config } from './config/index.ts';
import { createDocumentReader } from './documents/index.ts';
import type { DocumentEngine, FaceEngine } from './verification/index.ts';

export interface Engines {
  documents: DocumentEngine;
  faces: FaceEngine;
  close(): Promise<void>;
}

/** The real engines, each in its own worker pool. Expensive to start: tests share one instance. */
export function createEngines(config: Pick<Config, 'engineThreads' | 'faceMatchThreshold'>): Engines {
  const reader = createDocumentReader({ maxThreads: config.engineThreads });
  const matcher = createFaceMatcher({ maxThreads: config.engineThreads });
  return {
    documents: reader,
    faces: {
      analyze: (image, kind) => matcher.analyze(image, kind),
      similarity: faceSimilarity,
      threshold: config.faceMatchThreshold ?? DEFAULT_FACE_MATCH_THRESHOLD,
    },
    close: async () => {
      await Promise.all([reader.close(), matcher.close()]);
    },
  };
}
