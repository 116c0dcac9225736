// The DocumentReader port implementation: scanning in a worker pool, judgement on the caller's thread.
import { Piscina } from 'piscina';
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

export function createDocumentReader(options: { maxThreads: number }): DocumentReader {
  // OCR models take ~0.5 s and ~150 MB to load: keep idle workers alive instead of re-creating them.
  const pool = new Piscina({
    filename: WORKER_FILE, minThreads: 0, maxThreads: options.maxThreads, idleTimeout: 10 * 60_000, resourceLimits: WORKER_HEAP_LIMITS,
  });
  return {
    async read(front, back, readOptions = {}) {
      const now = new Date();
      const task: DocumentTask = back ? { front, back, now: now.getTime() } : { front, now: now.getTime() };
      const scan = (await pool.run(task)) as DocumentScan;
      return assembleReading(scan, now, readOptions);
    },
    async close() {
      await pool.destroy();
    },
  };
}
