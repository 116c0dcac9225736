// Candidate readings of one MRZ line from the recogniser's CTC scores: the grammar-constrained
// decode, and where a date's check digit fails, the few high-probability alternatives that pass it.
import { isCheckDigitValid } from './check-digit.ts';
import type { CtcScores } from './ctc-scores.ts';
import { decodeUnderGrammar } from './mrz-ctc-decode.ts';
import type { DecodedLine } from './mrz-ctc-decode.ts';
import { MRZ_LAYOUTS } from './mrz-format.ts';
import type { MrzFormat } from './mrz-format.ts';

export interface LineCandidate {
  line: string;
  /**
   * What the reading departs from what was seen, for ranking: for the greedy text its repairs and
   * 20 a character of length error; for a decode, 2 a nat of probability lost to the grammar and
   * to check-digit fixes (a dropped filler in a hesitant frame costs ~0.5, a character the
   * recogniser never saw 5 or more).
   */
  cost: number;
  /**
   * A character of the document number or its check digit is not the recogniser's own choice. The
   * check digits cannot vouch for such a number (mrz-number-repair.ts): it needs the printed zone.
   */
  numberForced: boolean;
}

/** [line, first, check digit] of a field: the number, then the dates (digits only, one check digit each). */
type Field = readonly [number, number, number];
const NUMBER: Readonly<Record<MrzFormat, Field>> = { TD1: [0, 5, 14], TD2: [1, 0, 9], TD3: [1, 0, 9] };
const DATES: Readonly<Record<MrzFormat, readonly Field[]>> = {
  TD1: [[1, 0, 6], [1, 8, 14]], TD2: [[1, 13, 19], [1, 21, 27]], TD3: [[1, 13, 19], [1, 21, 27]],
};
/**
 * The document code's first letter (ICAO 9303 parts 4-6): P for passports in TD3, A, C or I for
 * cards; V for visas, read so as not to be mistaken for anything else. TD2 keeps P: a passport
 * whose lines were cut to 36 characters must stay a passport (the field check then rejects it as
 * TD2) rather than be spelt as a card whose check digits happen to hold.
 */
const DOCUMENT_CODES: Readonly<Record<MrzFormat, string>> = { TD1: 'ACI', TD2: 'ACIPV', TD3: 'PV' };
/** Fixes kept per failing date: the composite check digit decides between them. */
const MAX_FIXES = 2;
const COST_PER_NAT = 2;

const passes = (line: string, [, first, check]: Field) => isCheckDigitValid(line.slice(first, check), line.charAt(check));

/**
 * Single-character changes of a date field or its check digit, among the recogniser's plausible
 * alternatives, that make the check digit pass, cheapest first. One change is always detectable
 * (the weights 7, 3, 1 are prime to 10), so at most one value per position can fix it.
 */
function dateFixes(decoded: DecodedLine, line: string, field: Field): Array<{ line: string; cost: number }> {
  const [, first, check] = field;
  const fixes: Array<{ line: string; cost: number }> = [];
  for (let position = first; position <= check; position++) {
    for (const { symbol, cost } of decoded.alternatives[position]!) {
      if (!/[0-9]/.test(symbol)) continue;
      const candidate = line.slice(0, position) + symbol + line.slice(position + 1);
      if (passes(candidate, field)) fixes.push({ line: candidate, cost });
    }
  }
  return fixes.sort((a, b) => b.cost - a.cost).slice(0, MAX_FIXES);
}

/**
 * [line, first, end) of the fields no check digit covers and no printed text is compared with
 * here: issuing state, nationality, sex. A character the grammar had to supply there is a guess,
 * so a decode that needs one is not offered at all.
 */
const UNCHECKED: Readonly<Record<MrzFormat, readonly Field[]>> = {
  TD1: [[0, 2, 5], [1, 15, 18], [1, 7, 8]], TD2: [[0, 2, 5], [1, 10, 13], [1, 20, 21]], TD3: [[0, 2, 5], [1, 10, 13], [1, 20, 21]],
};

/** Number swaps kept: each needs the printed zone to show its number anyway. */
const MAX_NUMBER_SWAPS = 3;

/**
 * One character of the number swapped for the recogniser's runner-up there, where that makes the
 * number's check digit pass. Only ever a candidate for the printed zone to confirm (numberForced):
 * the check digits cannot tell look-alikes apart (mrz-number-repair.ts).
 */
function numberSwaps(decoded: DecodedLine, line: string, field: Field): Array<{ line: string; cost: number }> {
  const [, first, check] = field;
  const swaps: Array<{ line: string; cost: number }> = [];
  for (let position = first; position < check; position++) {
    if (line.charAt(position) === '<') continue;
    for (const { symbol, cost } of decoded.alternatives[position]!) {
      if (symbol === '<') continue;
      const candidate = line.slice(0, position) + symbol + line.slice(position + 1);
      if (passes(candidate, field)) swaps.push({ line: candidate, cost });
    }
  }
  return swaps.sort((a, b) => b.cost - a.cost).slice(0, MAX_NUMBER_SWAPS);
}

/** The number's characters up to its trailing fillers, and its check digit. */
function numberPositions(line: string, [, first, check]: Field): number[] {
  const significant = line.slice(first, check).replace(/<+$/, '').length;
  return [...Array.from({ length: significant }, (_, index) => first + index), check];
}

/** Decodes already made of a line's scores (one OCR line is tried in several groups and formats). */
const decodedBefore = new WeakMap<CtcScores, Map<string, LineCandidate[]>>();

/** Readings of line `index` of a `format` MRZ from its scores, best first; empty when the line cannot be spelt. */
export function decodedLineCandidates(scores: CtcScores, format: MrzFormat, index: number): LineCandidate[] {
  const known = decodedBefore.get(scores) ?? new Map<string, LineCandidate[]>();
  decodedBefore.set(scores, known);
  const key = `${format}:${index}`;
  if (!known.has(key)) known.set(key, decodeLine(scores, format, index));
  return known.get(key)!;
}

function decodeLine(scores: CtcScores, format: MrzFormat, index: number): LineCandidate[] {
  const only = index === 0 ? new Map([[0, DOCUMENT_CODES[format]]]) : undefined;
  const decoded = decodeUnderGrammar(scores, MRZ_LAYOUTS[format].classes[index]!, only);
  if (!decoded) return [];
  const guessed = UNCHECKED[format].filter(([line]) => line === index).some(([, first, end]) =>
    decoded.topChoice.slice(first, end).includes(false) || decoded.dropped.some((position) => position > first && position < end));
  if (guessed) return [];
  const number = NUMBER[format];
  const positions = numberPositions(decoded.line, number);
  const numberForced = number[0] === index && (positions.some((position) => !decoded.topChoice[position])
    || decoded.dropped.some((position) => position >= number[1] && position <= number[2]));
  let readings = [{ line: decoded.line, cost: COST_PER_NAT * decoded.loss }];
  for (const field of DATES[format].filter(([line]) => line === index)) {
    readings = readings.flatMap((reading) => {
      if (passes(reading.line, field)) return [reading];
      const fixes = dateFixes(decoded, reading.line, field);
      return [...fixes.map((fix) => ({ line: fix.line, cost: reading.cost - COST_PER_NAT * fix.cost })), reading];
    });
  }
  const swaps = number[0] === index && !passes(decoded.line, number)
    ? numberSwaps(decoded, decoded.line, number).map((swap) => ({ line: swap.line, cost: COST_PER_NAT * (decoded.loss - swap.cost), numberForced: true }))
    : [];
  return [...readings.map((reading) => ({ ...reading, numberForced })), ...swaps];
}
