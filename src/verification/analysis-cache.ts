import { createHash } from 'node:crypto';
import type { DocumentEngine, DocumentReading, FaceAnalysis, FaceEngine } from './engine-ports.ts';

/**
 * Remembers recent engine results by image content for a few minutes, so work can start as soon
 * as an image is uploaded (`prefetch`) and be picked up when the session is processed, and so a
 * selfie analysed for the liveness check is not analysed again for the match. In memory only:
 * templates never leave the process this way, and a restart simply recomputes.
 */
class ContentCache<T> {
  readonly #entries = new Map<string, { value: Promise<T>; at: number }>();
  readonly #max: number;
  readonly #ttlMs: number;

  constructor(max: number, ttlMs: number) {
    this.#max = max;
    this.#ttlMs = ttlMs;
  }

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit && now - hit.at < this.#ttlMs) return hit.value;
    const value = compute();
    // A failed computation is forgotten at once, so the next caller retries it.
    value.catch(() => this.#entries.get(key)?.value === value && this.#entries.delete(key));
    this.#entries.set(key, { value, at: now });
    for (const [oldest] of this.#entries) {
      if (this.#entries.size <= this.#max) break;
      this.#entries.delete(oldest);
    }
    return value;
  }
}

function digest(...images: Array<Uint8Array | undefined>): string {
  const hash = createHash('sha256');
  for (const image of images) hash.update(image ?? new Uint8Array()).update('\0');
  return hash.digest('base64url');
}

export interface CachedEngines {
  documents: DocumentEngine;
  faces: FaceEngine;
  /**
   * Starts the work an uploaded image will need, without waiting for it. At most one prefetch per
   * session and kind is in flight: uploads sent faster than the engines answer are not queued
   * (the image that is finally processed is read then), so one session cannot fill the queue.
   */
  prefetch(kind: 'front' | 'back' | 'face', image: Uint8Array, sessionKey?: string): void;
}

export interface CacheOptions {
  max: number;
  ttlMs: number;
  /**
   * Whether each engine may take work nobody waits for yet. Prefetch is dropped otherwise, so a
   * flood of uploads cannot fill the engine queues ahead of the people waiting for a result.
   */
  spare?: { documents(): boolean; faces(): boolean };
}

const ALWAYS = { documents: () => true, faces: () => true };

export function cacheEngines(documents: DocumentEngine, faces: FaceEngine, options: CacheOptions = { max: 64, ttlMs: 10 * 60_000 }): CachedEngines {
  const spare = options.spare ?? ALWAYS;
  const readings = new ContentCache<DocumentReading>(options.max, options.ttlMs);
  const analyses = new ContentCache<FaceAnalysis>(options.max, options.ttlMs);
  const inFlight = new Set<string>();
  const cached: CachedEngines = {
    documents: {
      read: (front, back, readOptions) => (readOptions?.expectedName
        ? documents.read(front, back, readOptions)
        : readings.get(digest(front, back), () => documents.read(front, back))),
      matchName: (expectedName, fields) => documents.matchName(expectedName, fields),
    },
    faces: {
      analyze: (image, kind) => analyses.get(`${kind}:${digest(image)}`, () => faces.analyze(image, kind)),
      similarity: (a, b) => faces.similarity(a, b),
      threshold: faces.threshold,
    },
    prefetch(kind, image, sessionKey) {
      const key = sessionKey && `${sessionKey}:${kind}`;
      if (key && inFlight.has(key)) return;
      const started: Array<Promise<unknown>> = [];
      if (kind === 'front' && spare.documents()) started.push(cached.documents.read(image));
      if (kind === 'front' && spare.faces()) started.push(cached.faces.analyze(image, 'document'));
      if (kind === 'face' && spare.faces()) started.push(cached.faces.analyze(image, 'selfie'));
      if (key && started.length > 0) {
        inFlight.add(key);
        void Promise.allSettled(started).then(() => inFlight.delete(key));
      }
      for (const work of started) work.catch(() => undefined);
    },
  };
  return cached;
}
