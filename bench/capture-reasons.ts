// Capture-reason accuracy: node bench/capture-reasons.ts [--n N] [--seed S]
// N deliberately bad captures per class (test/support/bad-captures.ts: glare over the MRZ or
// barcode, Gaussian and motion blur, the card partly out of frame, small in the frame,
// underexposed, a face photo instead of the document) plus N well-captured controls, each labelled
// with the one capture reason it should raise. Each photo is measured as a scan measures it and
// judged by the capture gates; the reasons are what the person is asked to fix.
// LAST line: one JSON object {reason_accuracy, per_reason: {code: {precision, recall, n}}, n, seed};
// reason_accuracy: the share of captures whose capture reasons are exactly the expected one (none
// for a control).
import { parseArgs } from 'node:util';
import { judgeCapture } from '../src/documents/capture-quality.ts';
import { measurePhoto } from '../src/documents/document-scan.ts';
import { badCaptures } from '../test/support/bad-captures.ts';
import type { CaptureLabel } from '../test/support/bad-captures.ts';
import { seededRandom } from '../test/support/random-identity.ts';

const { values: args } = parseArgs({ options: { n: { type: 'string', default: '12' }, seed: { type: 'string', default: '1' } } });

interface Judged { kind: string; document: string; label: CaptureLabel; reasons: string[] }

const LABELS: readonly CaptureLabel[] = ['none', 'document_glare', 'document_blurry', 'document_cut_off', 'document_too_small', 'document_too_dark', 'document_not_found'];

const emitted = (judged: Judged): string[] => (judged.reasons.length === 0 ? ['none'] : judged.reasons);
const exact = (judged: Judged) => emitted(judged).length === 1 && emitted(judged)[0] === judged.label;
const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((10_000 * part) / whole) / 10_000);

function perReason(results: Judged[]) {
  return Object.fromEntries(LABELS.map((label) => {
    const raised = results.filter((result) => emitted(result).includes(label));
    const expected = results.filter((result) => result.label === label);
    const hits = expected.filter((result) => emitted(result).includes(label));
    return [label, { precision: ratio(hits.length, raised.length), recall: ratio(hits.length, expected.length), n: expected.length }];
  }));
}

function printTable(results: Judged[]): void {
  const groups = new Map<string, Judged[]>();
  for (const result of results) groups.set(result.kind, [...(groups.get(result.kind) ?? []), result]);
  console.log(`${'capture class'.padEnd(38)} expected             n  exact  reasons raised`);
  for (const [kind, group] of groups) {
    const counts = new Map<string, number>();
    for (const result of group) { const key = emitted(result).join('+'); counts.set(key, (counts.get(key) ?? 0) + 1); }
    const raised = [...counts].sort((a, b) => b[1] - a[1]).map(([key, count]) => `${key} ${count}`).join(', ');
    console.log(`${kind.padEnd(38)} ${group[0]!.label.padEnd(19)} ${String(group.length).padStart(3)}  ${String(group.filter(exact).length).padStart(5)}  ${raised}`);
  }
  for (const miss of results.filter((result) => !exact(result))) console.log(`  wrong: ${miss.kind} (${miss.document}) → ${emitted(miss).join(',')}`);
}

async function main(): Promise<void> {
  const results: Judged[] = [];
  for await (const capture of badCaptures(Number(args.n), seededRandom(Number(args.seed)))) {
    const measures = await measurePhoto(capture.image);
    const reasons = measures ? judgeCapture(measures, 'Front').reasons : ['image_unreadable'];
    results.push({ kind: capture.kind, document: capture.document, label: capture.label, reasons });
  }
  printTable(results);
  console.log(JSON.stringify({ reason_accuracy: ratio(results.filter(exact).length, results.length), per_reason: perReason(results), n: results.length, seed: Number(args.seed) }));
}

await main();
