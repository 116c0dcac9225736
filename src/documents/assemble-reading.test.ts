// The gating rules between capture quality and judgement, on hand-made scans (no images, no OCR).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildAamvaPayload } from '../../test/support/aamva-payload.ts';
import { assembleReading } from './assemble-reading.ts';
import { buildTd3 } from './mrz-builder.ts';
import { readMrzText } from './read-mrz-text.ts';
import type { CaptureMeasures } from './capture-quality.ts';
import type { DocumentScan, SideScan } from './document-scan.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const GOOD: CaptureMeasures = { width: 1012, height: 638, edgeDensity: 0.08, contentArea: 0.8, contentWidth: 930, sharpness: 0.7, glare: 0, borderContact: 0, whiteLevel: 240 };
const PAYLOAD = buildAamvaPayload({
  country: 'USA', jurisdiction: 'IL', surname: 'Smith', firstName: 'John', documentNumber: 'S1234567',
  birthDate: '1974-08-12', expiryDate: '2032-04-15', sex: 'M',
});
const FRONT_TEXT = ['ILLINOIS', 'DRIVER LICENSE', '4d DLN S1234567', '1 SMITH', '2 JOHN', '3 DOB 08/12/1974'];

function licence(front: Partial<SideScan>, back: Partial<SideScan> = {}): DocumentScan {
  return {
    front: { measures: GOOD, pdf417: { kind: 'not_found' }, mrz: null, printedText: FRONT_TEXT, ...front },
    back: { measures: GOOD, pdf417: { kind: 'decoded', text: PAYLOAD, attempt: 'deskewed' }, mrz: null, printedText: [], ...back },
  };
}

test('a clean licence has no reasons and every quality item OK', () => {
  const reading = assembleReading(licence({}), NOW);
  assert.deepEqual(reading.reasons, []);
  assert.ok(reading.quality.every((item) => item.status === 'OK'));
});

test('a valid read from a blurry photo stands; the quality item only warns', () => {
  const reading = assembleReading(licence({ measures: { ...GOOD, sharpness: 0.05 } }), NOW);
  assert.deepEqual(reading.reasons, []);
  assert.equal(reading.quality.find((item) => item.key === 'sharpnessFront')?.status, 'WARN');
});

test('a failed read from a blurry photo asks for a new photo instead of judging', () => {
  const reading = assembleReading(licence({}, { measures: { ...GOOD, sharpness: 0.05 }, pdf417: { kind: 'damaged' } }), NOW);
  assert.deepEqual(reading.reasons, ['document_blurry']);
  assert.equal(reading.retryable, true);
  assert.equal(reading.quality.find((item) => item.key === 'sharpnessBack')?.status, 'FAIL');
});

test('a name hidden by glare is a retake, not a failed cross-check; other verdicts stay', () => {
  const glare = { measures: { ...GOOD, glare: 0.2 }, printedText: ['ILLINOIS', 'DRIVER LICENSE', '3 DOB 08/12/1974'] };
  const reading = assembleReading(licence(glare), NOW);
  assert.deepEqual(reading.reasons, ['document_glare']);
  assert.equal(reading.retryable, true);
  const expired = assembleReading(licence(glare), new Date('2033-01-01T00:00:00Z'));
  assert.deepEqual(expired.reasons, ['document_glare', 'document_expired']);
  assert.equal(expired.retryable, false);
});

test('a clear front with another name fails the cross-check', () => {
  const reading = assembleReading(licence({ printedText: FRONT_TEXT.map((line) => line.replace('SMITH', 'JONES')) }), NOW);
  assert.deepEqual(reading.reasons, ['name_crosscheck_failed']);
  assert.equal(reading.retryable, false);
});

test('printed text with neither MRZ nor barcode is an unsupported document', () => {
  const scan: DocumentScan = {
    front: { measures: GOOD, pdf417: { kind: 'not_found' }, mrz: { kind: 'mrz_not_found', printedText: ['LIBRARY CARD', 'CITY OF SPRINGFIELD', 'MEMBER 0042'] }, printedText: ['LIBRARY CARD', 'CITY OF SPRINGFIELD', 'MEMBER 0042'] },
    back: null,
  };
  const reading = assembleReading(scan, NOW);
  assert.deepEqual(reading.reasons, ['mrz_not_found', 'document_unsupported']);
  assert.equal(reading.retryable, false);
});

test('an MRZ number the check digits cannot settle is a retake (mrz_unclear), never a guess', () => {
  const lines = buildTd3({
    documentCode: 'P', issuingCountry: 'CAN', nationality: 'CAN', surname: 'Doe', givenNames: 'Jane', documentNumber: 'AB12O4567',
    birthDate: '1980-02-03', expiryDate: '2031-05-06', sex: 'F',
  });
  const printed = ['PASSPORT', 'DOE', 'JANE', '03 FEB 1980'];
  const reading = readMrzText([lines[0], lines[1].replace('AB12O4567', 'AB1204567')], NOW, printed);
  assert.ok(reading?.numberUnclear);
  const scan: DocumentScan = { front: { measures: GOOD, pdf417: null, mrz: { kind: 'read', reading, variant: 'full', printedText: printed }, printedText: printed }, back: null };
  const assembled = assembleReading(scan, NOW);
  assert.deepEqual([assembled.reasons, assembled.dataValid, assembled.retryable], [['mrz_unclear'], false, true]);
});
