import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Config } from '../config/index.ts';
import { createDocumentReader, DOCUMENT_REASON_MESSAGES } from '../documents/index.ts';
import type { DocumentReading } from '../documents/index.ts';
import { print, type Output } from './output.ts';

const messageOf = (code: string) => (DOCUMENT_REASON_MESSAGES as Record<string, string>)[code] ?? null;

/** The operator's view of one document: what was extracted, every check, and why it was rejected. */
export function describeReading(files: { front: string; back: string | null }, reading: DocumentReading) {
  return {
    files,
    fields: reading.fields,
    mrzValid: reading.mrzValid,
    dataValid: reading.dataValid,
    retryable: reading.retryable,
    reasons: reading.reasons.map((code) => ({ code, message: messageOf(code) })),
    quality: reading.quality,
    checks: reading.items,
  };
}

export function inspectDocumentCommand(program: Command, config: () => Config, output: () => Output): void {
  program.command('inspect-document')
    .description('Read a document photo (FRONT, and BACK for licences / TD1 cards) and print every extracted field and check as JSON; exit status 1 when the document is not accepted as is')
    .argument('<front>', 'photo of the front (JPEG, PNG or WebP)')
    .argument('[back]', 'photo of the back')
    .option('--expected-name <name>', 'name from the invitation or directory, checked as nameMatch')
    .action(async (front: string, back: string | undefined, opts: { expectedName?: string }) => {
      // One document: one OCR thread is enough, whatever the server is configured with.
      void config;
      const reader = createDocumentReader({ maxThreads: 1 });
      try {
        const [frontBytes, backBytes] = await Promise.all([readFile(front), back ? readFile(back) : undefined]);
        const reading = await reader.read(frontBytes, backBytes, opts.expectedName !== undefined ? { expectedName: opts.expectedName } : {});
        // Always JSON: the point is a complete, exact record an operator can attach to a case.
        print('json', describeReading({ front, back: back ?? null }, reading));
        if (output() === 'text' && reading.reasons.length > 0) process.stderr.write(`\nRejected: ${reading.reasons.join(', ')}\n`);
        // Scripts branch on the status: 0 only when nothing stands against the document (not
        // rejected, no retake asked, nothing for a reviewer).
        if (reading.reasons.length > 0 || !reading.dataValid) process.exitCode = 1;
      } finally {
        await reader.close();
      }
    });
}
