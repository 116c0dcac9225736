// Machine-readable data (MRZ or barcode) against the text printed on the document. The printed
// text comes from OCR without check digits, so only a name nowhere to be seen FAILs; a date or
// number that was not found WARNs.
import { nameTokens } from './name-match.ts';
import type { DocumentFields, ScoreItem } from './types.ts';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DATE = /\b(\d{1,4})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{2,4})\b|\b(\d{1,2})\s?([A-Z]{3})\s?(\d{4})\b/g;

/** ISO dates a printed date could mean (day/month order is ambiguous across countries). */
export function printedDates(text: string): Set<string> {
  const dates = new Set<string>();
  const add = (year: number, month: number, day: number) => {
    const date = new Date(Date.UTC(year, month - 1, day));
    if (year > 1900 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) dates.add(date.toISOString().slice(0, 10));
  };
  for (const match of text.toUpperCase().matchAll(DATE)) {
    const [a = '', b = '', c = ''] = match[1] ? match.slice(1, 4) : match.slice(4, 7);
    const month = MONTHS.indexOf(b) + 1 || Number(b);
    if (a.length === 4) add(Number(a), month, Number(c));
    else if (c.length === 4) { add(Number(c), month, Number(a)); add(Number(c), Number(a), month); }
  }
  return dates;
}

/** OCR-confusable characters folded, so 'O0' and 'I1' do not break a number match. */
const foldNumber = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1').replace(/S/g, '5').replace(/B/g, '8');

export function crossCheckPrinted(fields: DocumentFields, printedText: readonly string[], mrzNameConfirmed?: boolean | null): { items: ScoreItem[]; reasons: string[] } {
  if (printedText.length === 0) {
    return {
      items: ['fullNameCrosscheck', 'birthDateCrosscheck', 'documentNumberCrosscheck'].map((key) => ({ key, value: null, status: 'UNKNOWN' as const })),
      reasons: [],
    };
  }
  const reasons: string[] = [];
  const items: ScoreItem[] = [];
  if (mrzNameConfirmed !== undefined) {
    // MRZ names need the filler-aware comparison done while reading (a '<' read as 'K').
    items.push({ key: 'fullNameCrosscheck', value: mrzNameConfirmed, status: mrzNameConfirmed === null ? 'UNKNOWN' : mrzNameConfirmed ? 'OK' : 'WARN' });
    if (mrzNameConfirmed === false) reasons.push('mrz_name_unconfirmed');
  } else {
    const printed = new Set(printedText.flatMap(nameTokens));
    const isPrinted = (word: string) => printed.has(word) || [...printed].some((candidate) => candidate.includes(word));
    const words = nameTokens(`${fields.surname} ${fields.givenNames}`);
    const found = words.filter(isPrinted).length;
    const surnamePrinted = nameTokens(fields.surname).some(isPrinted);
    const status = found === words.length ? 'OK' : !surnamePrinted || found * 2 <= words.length ? 'FAIL' : 'WARN';
    items.push({ key: 'fullNameCrosscheck', value: words.length === 0 ? null : found / words.length, status });
    if (status === 'FAIL') reasons.push('name_crosscheck_failed');
  }
  const dates = printedDates(printedText.join('\n'));
  const birthFound = fields.birthDate !== null && dates.has(fields.birthDate);
  items.push({ key: 'birthDateCrosscheck', value: birthFound, status: birthFound ? 'OK' : 'WARN' });
  const compact = foldNumber(printedText.join(''));
  const numberFound = fields.documentNumber.length > 0 && compact.includes(foldNumber(fields.documentNumber));
  items.push({ key: 'documentNumberCrosscheck', value: numberFound, status: numberFound ? 'OK' : 'WARN' });
  return { items, reasons };
}
