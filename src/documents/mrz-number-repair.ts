// The document number is the one MRZ field where letters and digits mix freely, so positional
// classes cannot tell an OCR 'I' from a '1'. The check digits cannot settle it either: in TD1, TD2
// and TD3 the number enters the composite with the same weights as its own check digit, so a change
// confined to the number passes both checks exactly when it passes its own — about one swap in ten,
// not one in a hundred. A swap is therefore only ever a candidate: it is accepted when evidence the
// check digits do not provide agrees (the number printed in the visual zone), never on its own.
import { computeCheckDigit, isCheckDigitValid } from './check-digit.ts';
import type { MrzFormat } from './mrz-format.ts';

const SWAPS: Readonly<Record<string, string>> = {
  I: '1', '1': 'I', O: '0', '0': 'O', S: '5', '5': 'S', B: '8', '8': 'B', Z: '2', '2': 'Z', G: '6', '6': 'G', D: '0', Q: '0',
};

/** Where the number and its check digit sit, and the composite over the lines. */
function layout(format: MrzFormat) {
  if (format === 'TD1') {
    return {
      line: 0, start: 5, digit: 14,
      composite: (l: string[]) => isCheckDigitValid(l[0]!.slice(5, 30) + l[1]!.slice(0, 7) + l[1]!.slice(8, 15) + l[1]!.slice(18, 29), l[1]!.charAt(29)),
    };
  }
  const end = format === 'TD3' ? 43 : 35;
  return {
    line: 1, start: 0, digit: 9,
    composite: (l: string[]) => isCheckDigitValid(l[1]!.slice(0, 10) + l[1]!.slice(13, 20) + l[1]!.slice(21, end), l[1]!.charAt(end)),
  };
}

/** The document number field of length-correct MRZ lines, trailing fillers trimmed unless `withFillers`. */
export function documentNumberOf(lines: readonly string[], format: MrzFormat, withFillers = false): string {
  const { line, start, digit } = layout(format);
  const field = lines[line]!.slice(start, digit);
  return withFillers ? field : field.replace(/<+$/, '');
}

/** Every variant of the lines with one confusable character of the number swapped that passes both check digits. */
export function documentNumberRepairs(lines: readonly string[], format: MrzFormat): string[][] {
  const { line, start, digit, composite } = layout(format);
  const text = lines[line]!;
  const repairs: string[][] = [];
  for (let position = start; position < digit; position++) {
    const swap = SWAPS[text.charAt(position)];
    if (!swap) continue;
    const candidate = [...lines];
    candidate[line] = text.slice(0, position) + swap + text.slice(position + 1);
    if (isCheckDigitValid(candidate[line]!.slice(start, digit), candidate[line]!.charAt(digit)) && composite(candidate)) repairs.push(candidate);
  }
  return repairs;
}

/** Printed lines as MRZ-alphabet strings without spaces ('No. C1 CAK NVZ6' → 'NOC1CAKNVZ6'). */
export const compactPrintedLines = (printed: readonly string[]) =>
  printed.map((text) => text.toUpperCase().replace(/[^A-Z0-9]/g, '')).filter((text) => text.length > 0);

/**
 * The repair the printed zone confirms: exactly one candidate whose number is printed, character
 * for character (no look-alike folding: the printed zone must settle the very character in doubt).
 */
export function confirmedRepair(repairs: readonly string[][], format: MrzFormat, printed: readonly string[]): string[] | null {
  const confirmed = repairs.filter((candidate) => {
    const number = documentNumberOf(candidate, format);
    return number.length > 0 && printed.some((text) => text.includes(number));
  });
  return confirmed.length === 1 ? confirmed[0]! : null;
}

/** How many characters two printed readings of one number may differ in and still be the same printed field. */
const MAX_PRINTED_DIFFERENCES = 2;

/**
 * The printed zone shows, nowhere exactly as the MRZ has it, a number one or two characters away
 * that passes the same check digit (6 / G and 8 / S have equal values modulo 10; two misreads can
 * cancel out): one of the two readings is wrong and the check digits cannot say which. `field` is
 * the number field with its fillers; a printed line's end counts as fillers.
 */
export function printedNumberContradicts(field: string, printed: readonly string[]): boolean {
  const number = field.replace(/<+$/, '');
  if (number.length < 5) return false;
  const padded = printed.map((text) => text + '<'.repeat(field.length));
  if (padded.some((text) => text.includes(field))) return false;
  const checkDigit = computeCheckDigit(field);
  return padded.some((text) => {
    for (let start = 0; start + field.length <= text.length - (field.length - number.length); start++) {
      const window = text.slice(start, start + field.length);
      const differences = [...window].filter((char, index) => char !== field[index]).length;
      if (differences <= MAX_PRINTED_DIFFERENCES && computeCheckDigit(window) === checkDigit) return true;
    }
    return false;
  });
}
