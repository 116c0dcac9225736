import { Piscina } from 'piscina';
import type { FaceAnalysis, FaceImageKind, FaceMatcher } from './face-analysis.ts';
import type { FaceTask } from './face-worker.ts';

export interface FaceMatcherOptions {
  /** Worker threads; each holds its own copy of the models (~250 MB). */
  maxThreads: number;
}

/** A pool of face workers; models are loaded once per worker, lazily on first use. */
export function createFaceMatcher(options: FaceMatcherOptions): FaceMatcher {
  const pool = new Piscina<FaceTask, FaceAnalysis>({
    filename: new URL('./face-worker.ts', import.meta.url).href,
    minThreads: 0,
    maxThreads: Math.max(1, options.maxThreads),
    // Keep warm workers: loading the models costs about a second.
    idleTimeout: 10 * 60_000,
  });
  return {
    async analyze(image: Uint8Array, kind: FaceImageKind): Promise<FaceAnalysis> {
      // Copy so the caller's buffer survives the transfer to the worker.
      const copy = new Uint8Array(image);
      return pool.run({ image: copy, kind }, { transferList: [copy.buffer] });
    },
    async close(): Promise<void> {
      await pool.destroy();
    },
  };
}
