// The DocumentReader port implementation: MRZ OCR in a worker pool, checks on the caller's thread.
import { Piscina } from 'piscina';
import { checkDocument } from './check-document.ts';
import { isStructurallyValid } from './read-mrz-text.ts';
import type { DocumentTask } from './document-worker.ts';
import type { MrzImageOutcome } from './mrz-reader.ts';
import type { DocumentReader, DocumentReading } from './types.ts';

const WORKER_FILE = new URL('./document-worker.ts', import.meta.url).href;

export function toDocumentReading(outcome: MrzImageOutcome, now: Date): DocumentReading {
  if (outcome.kind !== 'read') {
    const { items, reasons } = checkDocument(null, null, now);
    return { fields: null, mrzValid: false, items, reasons: outcome.kind === 'image_unreadable' ? ['image_unreadable', ...reasons] : reasons };
  }
  const { fields, checks, invalidFields, nameConfirmed } = outcome.reading;
  const { items, reasons } = checkDocument(fields, checks, now);
  if (invalidFields.length > 0) reasons.push('mrz_field_invalid');
  // Names carry no check digit: the printed name is the only evidence the OCR read them right.
  items.push({
    key: 'fullNameCrosscheck',
    value: nameConfirmed,
    status: nameConfirmed === null ? 'UNKNOWN' : nameConfirmed ? 'OK' : 'WARN',
  });
  if (nameConfirmed === false) reasons.push('mrz_name_unconfirmed');
  return { fields, mrzValid: isStructurallyValid(outcome.reading), items, reasons };
}

export function createDocumentReader(options: { maxThreads: number }): DocumentReader {
  // OCR models take ~0.5 s and ~150 MB to load: keep idle workers alive instead of re-creating them.
  const pool = new Piscina({ filename: WORKER_FILE, minThreads: 0, maxThreads: options.maxThreads, idleTimeout: 10 * 60_000 });
  return {
    async read(front) {
      const now = new Date();
      const task: DocumentTask = { front, now: now.getTime() };
      const outcome = (await pool.run(task)) as MrzImageOutcome;
      return toDocumentReading(outcome, now);
    },
    async close() {
      await pool.destroy();
    },
  };
}
