// From OCR text lines of one page to the best-supported MRZ reading. Pure: no image, no OCR.
import { parse as parseWithMrzLibrary } from 'mrz';
import { ocrLineText } from './ctc-scores.ts';
import type { OcrLine } from './ctc-scores.ts';
import { MRZ_LAYOUTS } from './mrz-format.ts';
import type { MrzFormat } from './mrz-format.ts';
import { allChecksPass, parseMrzLines } from './mrz-fields.ts';
import type { MrzParse } from './mrz-fields.ts';
import { compactPrintedLines, confirmedRepair, documentNumberOf, documentNumberRepairs, printedNumberContradicts } from './mrz-number-repair.ts';
import { decodedLineCandidates } from './mrz-line-candidates.ts';
import type { LineCandidate } from './mrz-line-candidates.ts';
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
/** Below one passing check: a number only the grammar vouches for loses to one the recogniser read. */
const UNCLEAR_NUMBER_PENALTY = 50;
/** Ranking cost of a character of length error in the greedy text (the filler refit may have guessed the run). */
const LENGTH_ERROR_COST = 20;
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
export function readMrzText(
  ocrLines: ReadonlyArray<string | OcrLine>, now: Date, visualText: readonly string[] = [],
): MrzTextReading | null {
  const texts = ocrLines.map(ocrLineText);
  const decodable = new Set(ocrLines.flatMap((line, index) => (typeof line === 'object' && line.scores ? [index] : [])));
  let best: { reading: MrzTextReading; score: number; sourceIndices: number[] } | null = null;
  for (const group of findMrzLineGroups(texts, decodable).slice(0, MAX_GROUPS)) {
    const printedNumbers = compactPrintedLines(visualLines(texts, group.sourceIndices, visualText));
    const perLine = group.lines.map((line, index) => lineCandidates(line, ocrLines[group.sourceIndices[index]!], group.format, index));
    for (const combo of cartesian(perLine)) {
      const states = withStateCodes(combo.map((candidate) => candidate.line), group.format);
      let lines = states.lines;
      let parsed = parseMrzLines(lines, group.format, now);
      let cost = combo.reduce((sum, candidate) => sum + candidate.cost, states.changes);
      const repairs = parsed.checks.documentNumber ? [] : documentNumberRepairs(lines, group.format);
      const repaired = confirmedRepair(repairs, group.format, printedNumbers);
      if (repaired) {
        [lines, parsed, cost] = [repaired, parseMrzLines(repaired, group.format, now), cost + 1];
      }
      const number = documentNumberOf(lines, group.format);
      // A number the grammar filled in is a guess until the printed zone shows it as it stands.
      const forcedUnconfirmed = !repaired && combo.some((candidate) => candidate.numberForced)
        && !printedNumbers.some((text) => number.length > 0 && text.includes(number));
      const numberUnclear = repaired ? false : repairs.length > 0 && parsed.checks.birthDate && parsed.checks.expiryDate
        || parsed.checks.documentNumber && (forcedUnconfirmed || printedNumberContradicts(documentNumberOf(lines, group.format, true), printedNumbers));
      const invalidFields = libraryInvalidFields(lines);
      const score = (passedChecks(parsed.checks) - invalidFields.length) * 100 - cost - (numberUnclear ? UNCLEAR_NUMBER_PENALTY : 0);
      if (best && score <= best.score) continue;
      best = { reading: { ...parsed, lines, invalidFields, nameConfirmed: null, nameSupport: 0, numberUnclear }, score, sourceIndices: group.sourceIndices };
    }
    if (best && isStructurallyValid(best.reading)) break;
  }
  if (!best) return null;
  return withResolvedNames(best.reading, visualWords(visualLines(texts, best.sourceIndices, visualText)), now);
}

/**
 * Readings of one grouped line: the grammar-constrained decodes of its CTC scores when the engine
 * kept them, then the greedy text with its filler runs refitted and positional classes applied.
 */
function lineCandidates(text: string, source: string | OcrLine | undefined, format: MrzFormat, index: number): LineCandidate[] {
  const layout = MRZ_LAYOUTS[format];
  const nameLine = format === 'TD1' ? 2 : 0;
  const views = typeof source === 'object' ? [source.scores, source.widerScores] : [];
  const decoded = views.flatMap((scores) => (scores ? decodedLineCandidates(scores, format, index) : []));
  const lengthCost = LENGTH_ERROR_COST * Math.abs(text.length - layout.lineLength);
  const shortfall = layout.lineLength - text.length;
  // A name line is padding after its last filler: its end may simply be missing (cut off by the detector).
  const padded = index === nameLine && shortfall > 0 && text.endsWith('<') ? [{ line: text + '<'.repeat(shortfall), cost: shortfall }] : [];
  const fitted = [
    ...fitLineLength(index === nameLine ? text : fillerK(text), layout.lineLength).slice(0, MAX_LINE_CANDIDATES).map((line) => ({ line, cost: lengthCost })),
    ...padded,
  ].map(({ line, cost }) => {
    const classed = applyPositionalClasses(line, layout.classes[index]!);
    return { line: classed.line, cost: cost + classed.changes, numberForced: false };
  });
  // One entry per line text, at its lowest cost; the greedy text's reading of a number is the recogniser's own.
  const byLine = new Map<string, LineCandidate>();
  for (const candidate of [...fitted, ...decoded]) {
    const known = byLine.get(candidate.line);
    if (!known) byLine.set(candidate.line, candidate);
    else byLine.set(candidate.line, { line: candidate.line, cost: Math.min(known.cost, candidate.cost), numberForced: known.numberForced && candidate.numberForced });
  }
  return [...byLine.values()];
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
