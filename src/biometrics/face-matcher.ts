import { createHash } from 'node:crypto';
import { Piscina } from 'piscina';
import { asEngineBusy } from '../errors/index.ts';
import type { EngineWorkerData } from '../platform/index.ts';
import type { FaceAnalysis, FaceImageKind, FaceMatcher, FrameAnalysis } from './face-analysis.ts';
import type { FaceTask } from './face-worker.ts';

export interface FaceMatcherOptions {
  /** Worker threads; each holds its own copy of the models (~250 MB). */
  maxThreads: number;
  /**
   * Tasks (an image or one liveness frame) allowed to wait; beyond it a task fails with 503
   * engine_busy. Unbounded by default (command-line tools, benchmarks); the server always sets it.
   */
  maxQueue?: number;
  /** The workers' scheduling priority on Linux (0, the default, leaves it as it is). */
  nice?: number;
}

/**
 * Human's passive liveness models run on about one frame in PASSIVE_EVERY of a long burst, picked
 * by the frame's content hash, so a frame analysed ahead (prefetchFrames) is reused whatever
 * batch it came in. Bursts of up to 2 × PASSIVE_EVERY frames get them on every frame.
 */
export const PASSIVE_EVERY = 4;
/** Frame analyses kept for reuse (a few bursts' worth) and for how long. */
const FRAME_CACHE_SIZE = 256;
const FRAME_CACHE_MS = 3 * 60_000;

/**
 * V8 heap limits of a face worker. The worker's own JavaScript heap stays under ~60 MB (tensors and
 * images live outside it); without a limit V8 lets it grow to hundreds of MB before collecting.
 * Measured in docs/performance.md: 1.33 -> 1.13 GB RSS for the whole process, speed unchanged.
 */
export const WORKER_HEAP_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 };

/** A pool of face workers; models are loaded once per worker, lazily on first use. */
export function createFaceMatcher(options: FaceMatcherOptions): FaceMatcher {
  const maxQueue = options.maxQueue ?? Infinity;
  const pool = new Piscina<FaceTask, FaceAnalysis | FrameAnalysis>({
    filename: new URL('./face-worker.ts', import.meta.url).href,
    minThreads: 0,
    maxThreads: Math.max(1, options.maxThreads),
    // Keep warm workers: loading the models costs about a second.
    idleTimeout: 10 * 60_000,
    resourceLimits: WORKER_HEAP_LIMITS,
    maxQueue, workerData: { nice: options.nice ?? 0 } satisfies EngineWorkerData,
  });
  const run = (task: FaceTask): Promise<FaceAnalysis | FrameAnalysis> => pool.run(task, { transferList: [task.image.buffer as ArrayBuffer] })
    .catch((error: unknown) => { throw asEngineBusy(error); });
  // Work nobody waits for (prefetch) only uses the first half of the queue: the rest stays for requests.
  const hasSpareCapacity = (): boolean => pool.queueSize < maxQueue / 2;
  // In memory only: frame templates never leave the process this way.
  const frameCache = new Map<string, { analysis: Promise<FrameAnalysis>; at: number }>();
  const analyzeFrame = (frame: Uint8Array, passive: boolean | null): Promise<FrameAnalysis> => {
    const digest = createHash('sha256').update(frame).digest();
    const withPassive = passive ?? digest[0]! % PASSIVE_EVERY === 0;
    const key = `${digest.toString('base64url')}:${withPassive}`;
    const now = Date.now();
    const hit = frameCache.get(key);
    if (hit && now - hit.at < FRAME_CACHE_MS) return hit.analysis;
    // Copy so the caller's buffer survives the transfer to the worker.
    const analysis = run({ type: 'frame', image: new Uint8Array(frame), passive: withPassive }) as Promise<FrameAnalysis>;
    analysis.catch(() => frameCache.get(key)?.analysis === analysis && frameCache.delete(key));
    frameCache.set(key, { analysis, at: now });
    for (const [oldest] of frameCache) {
      if (frameCache.size <= FRAME_CACHE_SIZE) break;
      frameCache.delete(oldest);
    }
    return analysis;
  };
  return {
    async analyze(image: Uint8Array, kind: FaceImageKind): Promise<FaceAnalysis> {
      // Copy so the caller's buffer survives the transfer to the worker.
      return (await run({ type: 'analyze', image: new Uint8Array(image), kind })) as FaceAnalysis;
    },
    async analyzeFrames(frames: readonly Uint8Array[]): Promise<FrameAnalysis[]> {
      // One task per frame: a burst spreads over every worker of the pool. A person is waiting for
      // this verdict after performing the whole challenge, so a full queue is waited out (a burst is
      // at most a few hundred small frames) instead of failing with engine_busy.
      const short = frames.length <= 2 * PASSIVE_EVERY;
      const analyses: Array<Promise<FrameAnalysis>> = [];
      for (const frame of frames) {
        while (pool.queueSize >= maxQueue) await new Promise((resolve) => setTimeout(resolve, 20));
        analyses.push(analyzeFrame(frame, short ? true : null));
      }
      return Promise.all(analyses);
    },
    prefetchFrames(frames: readonly Uint8Array[]): void {
      for (const frame of frames) {
        // Work ahead of time only uses the first half of the queue (frames sent by many sessions
        // must not starve the analyses people wait for); skipped ones are analysed at the verdict.
        if (!hasSpareCapacity()) return;
        analyzeFrame(frame, null).catch(() => undefined);
      }
    },
    hasSpareCapacity,
    async close(): Promise<void> {
      await pool.destroy();
    },
  };
}
