// From OCR text lines of one page to the best-supported MRZ reading. Pure: no image, no OCR.
import { parse as parseWithMrzLibrary } from 'mrz';
import { MRZ_LAYOUTS } from './mrz-format.ts';
import type { MrzFormat } from './mrz-format.ts';
import { allChecksPass, parseMrzLines } from './mrz-fields.ts';
import type { MrzParse } from './mrz-fields.ts';
import { compactPrintedLines, confirmedRepair, documentNumberOf, documentNumberRepairs, printedNumberContradicts } from './mrz-number-repair.ts';
import { findMrzLineGroups, fitLineLength, looksLikeMrz } from './mrz-lines.ts';
import { applyPositionalClasses, normalizeOcrLine } from './mrz-normalize.ts';
import { resolveStateCode, SPECIMEN_STATE } from './mrz-state-code.ts';
import {
  nameConfirmedByVisualZone, nameSupportScore, resolveNameFillers, restoreDroppedLetters, structuralNameFillers, visualWords,
} from './name-crosscheck.ts';
import type { MrzChecks } from './types.ts';

export interface MrzTextReading extends MrzParse {
  lines: string[];
  /** Fields the `mrz` library rejects besides check digits (document code, country codes, dates…). */
  invalidFields: string[];
  /** Every name word is also printed in the visual zone; null when there is no visual text to compare. */
  nameConfirmed: boolean | null;
  /** Tie-breaker between OCR passes: how much of the name the visual zone supports. */
  nameSupport: number;
  /**
   * The number cannot be trusted although the rest of the MRZ can: its check digits fail but one
   * look-alike swap would pass them and the printed zone does not say which, or they pass but the
   * printed zone shows a look-alike the check digits cannot see (6 / G). A retake, never a guess.
   */
  numberUnclear: boolean;
}

const MAX_GROUPS = 4;
const MAX_LINE_CANDIDATES = 4;
const CHECK_DIGIT_FIELDS = new Set([
  'documentNumberCheckDigit', 'birthDateCheckDigit', 'expirationDateCheckDigit', 'personalNumberCheckDigit', 'compositeCheckDigit',
]);

export function passedChecks(checks: MrzChecks): number {
  return [checks.documentNumber, checks.birthDate, checks.expiryDate, checks.composite, checks.personalNumber !== false]
    .filter(Boolean).length;
}

/** Check digits and field syntax both hold: the structure was read at the right alignment. */
export function isStructurallyValid(reading: MrzTextReading): boolean {
  return allChecksPass(reading.checks) && reading.invalidFields.length === 0 && !reading.numberUnclear;
}

function cartesian<T>(lists: readonly T[][]): T[][] {
  return lists.reduce<T[][]>((combos, list) => combos.flatMap((combo) => list.map((item) => [...combo, item])), [[]]);
}

/** A lone 'K' inside a filler run of a data line is a misread '<' (names are handled separately). */
const fillerK = (line: string) => line.replace(/(?<=<)K(?=<)/g, '<');

const STATE_FIELDS = new Set(['issuingState', 'nationality']);

function libraryInvalidFields(lines: readonly string[]): string[] {
  // A filler inside the number ('704<9H6KP') is a misread: fillers only pad it at the end.
  const format = lines.length === 3 ? 'TD1' : lines[0]!.length === 36 ? 'TD2' : 'TD3';
  if (/<[^<]/.test(documentNumberOf(lines, format))) return ['documentNumber'];
  try {
    const result = parseWithMrzLibrary([...lines]);
    return result.details.filter((detail) => !detail.valid && detail.field && !CHECK_DIGIT_FIELDS.has(detail.field)
      && !(STATE_FIELDS.has(detail.field) && lines[detail.line]?.slice(detail.start, detail.end) === SPECIMEN_STATE))
      .map((detail) => String(detail.field));
  } catch {
    return ['format'];
  }
}

/**
 * The best MRZ reading in `ocrLines` (reading order), or null when none has the MRZ structure.
 * Candidates differ only in filler counts and positional letter/digit fixes; the check digits,
 * field syntax and the amount of repair decide between them. `visualText` adds printed text seen
 * elsewhere on the page (e.g. when `ocrLines` come from a crop of the MRZ band).
 */
export function readMrzText(ocrLines: readonly string[], now: Date, visualText: readonly string[] = []): MrzTextReading | null {
  let best: { reading: MrzTextReading; score: number; sourceIndices: number[] } | null = null;
  for (const group of findMrzLineGroups(ocrLines).slice(0, MAX_GROUPS)) {
    const layout = MRZ_LAYOUTS[group.format];
    const nameLine = group.format === 'TD1' ? 2 : 0;
    const lengthError = group.lines.reduce((sum, line) => sum + Math.abs(line.length - layout.lineLength), 0);
    const printedNumbers = compactPrintedLines(visualLines(ocrLines, group.sourceIndices, visualText));
    const perLine = group.lines.map((line, index) => {
      const fitted = fitLineLength(index === nameLine ? line : fillerK(line), layout.lineLength);
      return fitted.slice(0, MAX_LINE_CANDIDATES).map((candidate) => applyPositionalClasses(candidate, layout.classes[index]!));
    });
    for (const combo of cartesian(perLine)) {
      const states = withStateCodes(combo.map((candidate) => candidate.line), group.format);
      let lines = states.lines;
      let parsed = parseMrzLines(lines, group.format, now);
      let changes = combo.reduce((sum, candidate) => sum + candidate.changes, states.changes);
      const repairs = parsed.checks.documentNumber ? [] : documentNumberRepairs(lines, group.format);
      const repaired = confirmedRepair(repairs, group.format, printedNumbers);
      if (repaired) {
        [lines, parsed, changes] = [repaired, parseMrzLines(repaired, group.format, now), changes + 1];
      }
      const invalidFields = libraryInvalidFields(lines);
      const score = (passedChecks(parsed.checks) - invalidFields.length) * 100 - lengthError * 20 - changes;
      if (best && score <= best.score) continue;
      const numberUnclear = repaired ? false : repairs.length > 0 && parsed.checks.birthDate && parsed.checks.expiryDate
        || parsed.checks.documentNumber && printedNumberContradicts(documentNumberOf(lines, group.format, true), printedNumbers);
      best = { reading: { ...parsed, lines, invalidFields, nameConfirmed: null, nameSupport: 0, numberUnclear }, score, sourceIndices: group.sourceIndices };
    }
    if (best && isStructurallyValid(best.reading)) break;
  }
  if (!best) return null;
  return withResolvedNames(best.reading, visualWords(visualLines(ocrLines, best.sourceIndices, visualText)), now);
}

/** Where issuing state and nationality sit: [line, start] of each three-letter field. */
const STATE_FIELDS_AT: Readonly<Record<MrzFormat, ReadonlyArray<readonly [number, number]>>> = {
  TD1: [[0, 2], [1, 15]], TD2: [[0, 2], [1, 10]], TD3: [[0, 2], [1, 10]],
};

/** Issuing state and nationality mapped onto the ICAO code list where a misread allows exactly one code. */
function withStateCodes(lines: readonly string[], format: MrzFormat): { lines: string[]; changes: number } {
  const out = [...lines];
  let changes = 0;
  for (const [line, start] of STATE_FIELDS_AT[format]) {
    const code = out[line]!.slice(start, start + 3);
    const resolved = resolveStateCode(code);
    if (!resolved || resolved === code) continue;
    out[line] = out[line]!.slice(0, start) + resolved + out[line]!.slice(start + 3);
    changes += [...code].filter((char, index) => char !== resolved[index]).length;
  }
  return { lines: out, changes };
}

/** Printed text of the page: every OCR line outside the MRZ group that is not itself MRZ-like. */
function visualLines(ocrLines: readonly string[], mrzIndices: readonly number[], visualText: readonly string[]): string[] {
  return [...ocrLines.filter((_, index) => !mrzIndices.includes(index)), ...visualText]
    .filter((text) => !text.includes('<') && !looksLikeMrz(text, normalizeOcrLine(text)));
}

function withResolvedNames(reading: MrzTextReading, words: ReadonlySet<string>, now: Date): MrzTextReading {
  const format = reading.fields.mrzFormat ?? 'TD3';
  const nameLine = format === 'TD1' ? 2 : 0;
  const lines = [...reading.lines];
  const prefix = format === 'TD1' ? '' : lines[0]!.slice(0, 5);
  const nameField = restoreDroppedLetters(resolveNameFillers(structuralNameFillers(reading.nameField), words), words);
  lines[nameLine] = prefix + nameField;
  const parsed = parseMrzLines(lines, format, now);
  return {
    ...parsed,
    lines,
    invalidFields: libraryInvalidFields(lines),
    nameConfirmed: nameConfirmedByVisualZone(nameField, words),
    nameSupport: nameSupportScore(nameField, words),
    numberUnclear: reading.numberUnclear,
  };
}
