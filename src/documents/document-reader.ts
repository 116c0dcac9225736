// The DocumentReader port implementation: scanning in a worker pool, judgement on the caller's thread.
import { Piscina } from 'piscina';
import { asEngineBusy } from '../errors/index.ts';
import type { EngineWorkerData } from '../platform/index.ts';
import { assembleReading } from './assemble-reading.ts';
import type { DocumentScan } from './document-scan.ts';
import type { DocumentTask } from './document-worker.ts';
import type { DocumentReader } from './types.ts';

const WORKER_FILE = new URL('./document-worker.ts', import.meta.url).href;
/**
 * V8 heap limits of a document worker: its JavaScript heap stays under ~50 MB (images, model
 * inputs and outputs live outside it); without a limit V8 lets it grow to hundreds of MB before
 * collecting. Measured in docs/performance.md.
 */
const WORKER_HEAP_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 };

/**
 * `maxQueue`: reads allowed to wait; beyond it a read fails with 503 engine_busy instead of
 * holding more images in memory. Unbounded by default (command-line tools); the server sets it.
 * `nice`: the workers' scheduling priority on Linux (0, the default, leaves it as it is).
 */
export function createDocumentReader(options: { maxThreads: number; maxQueue?: number; nice?: number }): DocumentReader & { hasSpareCapacity(): boolean } {
  const maxQueue = options.maxQueue ?? Infinity;
  // OCR models take ~0.5 s and ~150 MB to load: keep idle workers alive instead of re-creating them.
  const pool = new Piscina({
    filename: WORKER_FILE, minThreads: 0, maxThreads: options.maxThreads, idleTimeout: 10 * 60_000, resourceLimits: WORKER_HEAP_LIMITS,
    maxQueue, workerData: { nice: options.nice ?? 0 } satisfies EngineWorkerData,
  });
  return {
    async read(front, back, readOptions = {}) {
      const now = new Date();
      const task: DocumentTask = back ? { front, back, now: now.getTime() } : { front, now: now.getTime() };
      const scan = (await pool.run(task).catch((error: unknown) => { throw asEngineBusy(error); })) as DocumentScan;
      return assembleReading(scan, now, readOptions);
    },
    // Work nobody waits for (prefetch) only uses the first half of the queue: the rest stays for requests.
    hasSpareCapacity: () => pool.queueSize < maxQueue / 2,
    async close() {
      await pool.destroy();
    },
  };
}
