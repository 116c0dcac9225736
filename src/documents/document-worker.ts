// Piscina worker: one PaddleOCR model per worker thread, reused for every document.
import { workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { lowerThreadPriority, type EngineWorkerData } from '../platform/index.ts';
import type { OcrLine } from './ctc-scores.ts';
import { scanDocument } from './document-scan.ts';
import { createOcrEngine } from './ocr-engine.ts';
import type { OcrEngine } from './ocr-engine.ts';
import { installFastOcrInput } from './ocr-input.ts';
import type { DocumentScan } from './document-scan.ts';

// Before the model loads: onnxruntime's intra-op threads, started then, inherit this thread's
// priority, so OCR yields the cores to the event loop's requests (docs/performance.md).
lowerThreadPriority((workerData as EngineWorkerData | undefined)?.nice ?? 0);

// libvips' operation cache would keep recent images (up to 50 MB) for re-use that never comes:
// every task decodes a new upload.
sharp.cache(false);

export interface DocumentTask {
  front: Uint8Array;
  back?: Uint8Array;
  /** Epoch milliseconds of the request, so two-digit years resolve against the caller's clock. */
  now: number;
}

/**
 * No CPU memory arena: it keeps the peak of the largest page for good. No spinning: onnxruntime's
 * idle intra-op threads would otherwise busy-wait on the core the face worker needs (measured in
 * docs/documents.md: p50 of a full verification 1.56 s -> 1.33 s).
 */
const ONNX_OPTIONS = { enableCpuMemArena: false, extra: { session: { intra_op: { allow_spinning: '0' } } } };

let engine: Promise<OcrEngine> | undefined;

async function recognize(image: Buffer): Promise<OcrLine[]> {
  engine ??= installFastOcrInput().then(() => createOcrEngine(ONNX_OPTIONS));
  return (await engine)(image);
}

export default async function readDocument(task: DocumentTask): Promise<DocumentScan> {
  return scanDocument(task.front, task.back, recognize, new Date(task.now));
}
