import { Piscina } from 'piscina';
import type { FaceAnalysis, FaceImageKind, FaceMatcher, FrameAnalysis } from './face-analysis.ts';
import type { FaceTask } from './face-worker.ts';

export interface FaceMatcherOptions {
  /** Worker threads; each holds its own copy of the models (~250 MB). */
  maxThreads: number;
}

/** A pool of face workers; models are loaded once per worker, lazily on first use. */
export function createFaceMatcher(options: FaceMatcherOptions): FaceMatcher {
  const pool = new Piscina<FaceTask, FaceAnalysis | FrameAnalysis>({
    filename: new URL('./face-worker.ts', import.meta.url).href,
    minThreads: 0,
    maxThreads: Math.max(1, options.maxThreads),
    // Keep warm workers: loading the models costs about a second.
    idleTimeout: 10 * 60_000,
  });
  const run = (task: FaceTask): Promise<FaceAnalysis | FrameAnalysis> => pool.run(task, { transferList: [task.image.buffer as ArrayBuffer] });
  return {
    async analyze(image: Uint8Array, kind: FaceImageKind): Promise<FaceAnalysis> {
      // Copy so the caller's buffer survives the transfer to the worker.
      return (await run({ type: 'analyze', image: new Uint8Array(image), kind })) as FaceAnalysis;
    },
    async analyzeFrames(frames: readonly Uint8Array[]): Promise<FrameAnalysis[]> {
      // One task per frame: a burst spreads over every worker of the pool.
      return Promise.all(frames.map(async (frame) => (await run({ type: 'frame', image: new Uint8Array(frame) })) as FrameAnalysis));
    },
    async close(): Promise<void> {
      await pool.destroy();
    },
  };
}
