// From a worker's scan to the DocumentReading: quality gates first, then the document checks,
// cross-checks and the expected-name match. Pure: the same scan and clock give the same reading.
import { readAamva } from './aamva-fields.ts';
import type { AamvaReading } from './aamva-fields.ts';
import { judgeCapture } from './capture-quality.ts';
import { checkDocument, checkValidity } from './check-document.ts';
import type { DocumentScan, SideScan } from './document-scan.ts';
import type { MrzTextReading } from './read-mrz-text.ts';
import { isStructurallyValid } from './read-mrz-text.ts';
import { checkExpectedName } from './name-match.ts';
import { crossCheckPrinted } from './printed-crosscheck.ts';
import { isRetryable } from './reason-messages.ts';
import type { DocumentFields, DocumentReading, ReadOptions, ScoreItem } from './types.ts';

const MIN_PRINTED_LINES = 3;
/** Reasons that rest only on OCR of the printed zone. */
const PRINTED_TEXT_REASONS: ReadonlySet<string> = new Set(['name_crosscheck_failed', 'mrz_name_unconfirmed']);
const LICENCE_WORDS = /LICEN[CS]E|PERMIS|IDENTIFICATION CARD/i;

const aamvaOf = (side: SideScan | null): AamvaReading | null =>
  side?.pdf417?.kind === 'decoded' ? readAamva(side.pdf417.text) : null;
const mrzOf = (side: SideScan | null): MrzTextReading | null => (side?.mrz?.kind === 'read' ? side.mrz.reading : null);

interface Judged { fields: DocumentFields | null; valid: boolean; items: ScoreItem[]; reasons: string[] }

function judgeMrz(reading: MrzTextReading, printedText: string[], now: Date): Judged {
  const { items, reasons } = checkDocument(reading.fields, reading.checks, now);
  if (reading.invalidFields.length > 0) reasons.push('mrz_field_invalid');
  // A look-alike in the number that the check digits cannot settle: ask for a clearer photo, never guess.
  if (reading.numberUnclear) reasons.splice(0, reasons.length, 'mrz_unclear', ...reasons.filter((reason) => reason !== 'mrz_check_digit_failed'));
  const cross = crossCheckPrinted(reading.fields, printedText, reading.nameConfirmed);
  return { fields: reading.fields, valid: isStructurallyValid(reading), items: [...items, ...cross.items], reasons: [...reasons, ...cross.reasons] };
}

function judgeBarcode(aamva: AamvaReading, printedText: string[], now: Date): Judged {
  const validity = checkValidity(aamva.fields, now);
  const cross = crossCheckPrinted(aamva.fields, printedText);
  const items: ScoreItem[] = [
    { key: 'documentClassification', value: aamva.fields.documentType, status: 'OK' },
    { key: 'barcode2DDetected', value: true, status: 'OK' },
    { key: '2DBarcodeContent', value: aamva.valid ? `AAMVA ${aamva.version}` : aamva.invalidElements.join(','), status: aamva.valid ? 'OK' : 'FAIL' },
    ...validity.items,
    ...cross.items,
  ];
  const reasons = [...(aamva.valid ? [] : ['barcode_content_invalid']), ...validity.reasons, ...cross.reasons];
  return { fields: aamva.fields, valid: aamva.valid, items, reasons };
}

function judgeNothing(scan: DocumentScan, now: Date): Judged {
  const { items } = checkDocument(null, null, now);
  const reasons: string[] = [];
  const printed = [...scan.front.printedText, ...(scan.back?.printedText ?? [])];
  if (scan.back) {
    const damaged = scan.back.pdf417?.kind === 'damaged';
    items.push({ key: 'barcode2DDetected', value: damaged ? 'unreadable' : false, status: 'FAIL' });
    reasons.push(damaged ? 'barcode_not_found' : 'mrz_not_found');
  } else if (printed.some((line) => LICENCE_WORDS.test(line))) {
    reasons.push('barcode_not_found');
  } else {
    reasons.push('mrz_not_found');
  }
  if (printed.length < MIN_PRINTED_LINES) reasons.push('document_not_found');
  else if (!reasons.includes('barcode_not_found')) reasons.push('document_unsupported');
  return { fields: null, valid: false, items, reasons };
}

export function assembleReading(scan: DocumentScan, now: Date, options: ReadOptions = {}): DocumentReading {
  const sides = [['Front', scan.front], ['Back', scan.back]] as const;
  const quality: ScoreItem[] = [];
  const captureReasons: string[] = [];
  for (const [name, side] of sides) {
    if (!side) continue;
    if (!side.measures) { captureReasons.push('image_unreadable'); continue; }
    const judged = judgeCapture(side.measures, name);
    quality.push(...judged.quality);
    captureReasons.push(...judged.reasons);
  }
  if (!scan.front.measures) {
    const { items } = checkDocument(null, null, now);
    return { fields: null, mrzValid: false, dataValid: false, quality, items, reasons: ['image_unreadable'], retryable: true };
  }
  const frontBarcode = aamvaOf(scan.front);
  const barcode = aamvaOf(scan.back) ?? frontBarcode;
  const mrzSide = mrzOf(scan.front) ? scan.front : mrzOf(scan.back) ? scan.back : null;
  const printedText = [...scan.front.printedText, ...(scan.back?.printedText ?? [])];
  const judged = mrzSide ? judgeMrz(mrzOf(mrzSide)!, printedText, now)
    : barcode ? judgeBarcode(barcode, printedText, now)
      : judgeNothing(scan, now);
  // Quality gates come before judgement: a failed read from a poor photo asks for a new photo.
  // A valid read from a poor photo stands, and its quality items only WARN.
  // Printed text hidden by glare or blur is no evidence against the document either.
  let reasons = judged.reasons;
  let gatedQuality = quality;
  const unfairCrossCheck = captureReasons.length > 0 && reasons.some((reason) => PRINTED_TEXT_REASONS.has(reason));
  if (captureReasons.length > 0 && !judged.valid) reasons = [...new Set(captureReasons)];
  else if (unfairCrossCheck) reasons = [...new Set(captureReasons), ...reasons.filter((reason) => !PRINTED_TEXT_REASONS.has(reason))];
  else gatedQuality = quality.map((entry) => (entry.status === 'FAIL' ? { ...entry, status: 'WARN' } : entry));
  // The portrait is on the front: a barcode there means the wrong side was photographed.
  if (frontBarcode) reasons = ['document_wrong_side', ...reasons.filter((reason) => reason !== 'document_wrong_side')];
  const items = [...judged.items];
  if (options.expectedName !== undefined && judged.fields) {
    const match = checkExpectedName(options.expectedName, judged.fields);
    items.push(match.item);
    reasons.push(...match.reasons);
  }
  return {
    fields: judged.fields,
    mrzValid: mrzSide !== null && judged.valid,
    dataValid: judged.valid,
    quality: gatedQuality,
    items,
    reasons,
    retryable: isRetryable(reasons),
  };
}
