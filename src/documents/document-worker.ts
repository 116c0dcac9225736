// Piscina worker: one PaddleOCR model per worker thread, reused for every document.
import Ocr from '@gutenye/ocr-node';
import { scanDocument } from './document-scan.ts';
import type { DocumentScan } from './document-scan.ts';

export interface DocumentTask {
  front: Uint8Array;
  back?: Uint8Array;
  /** Epoch milliseconds of the request, so two-digit years resolve against the caller's clock. */
  now: number;
}

type OcrEngine = Awaited<ReturnType<typeof Ocr.create>>;
let engine: Promise<OcrEngine> | undefined;

async function recognize(image: Buffer): Promise<string[]> {
  engine ??= Ocr.create();
  // The engine's type says path, but it hands the value to sharp, which takes a Buffer too.
  const lines = await (await engine).detect(image as unknown as string);
  return lines.map((line: { text: string }) => line.text);
}

export default async function readDocument(task: DocumentTask): Promise<DocumentScan> {
  return scanDocument(task.front, task.back, recognize, new Date(task.now));
}
