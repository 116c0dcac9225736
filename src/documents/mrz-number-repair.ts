// The document number is the one MRZ field where letters and digits mix freely, so positional
// classes cannot tell an OCR 'I' from a '1'. One confusable character may be swapped when that
// makes BOTH the number's check digit and the composite check digit pass: a single check digit
// would be satisfied by chance too often (about one swap in ten), two by chance about one in a hundred.
import { isCheckDigitValid } from './check-digit.ts';
import type { MrzFormat } from './mrz-format.ts';

const SWAPS: Readonly<Record<string, string>> = {
  I: '1', '1': 'I', O: '0', '0': 'O', S: '5', '5': 'S', B: '8', '8': 'B', Z: '2', '2': 'Z', G: '6', '6': 'G',
};

const alternations = (value: string) => value.replace(/<+$/, '').split('').filter((char, index, chars) =>
  index > 0 && /\d/.test(char) !== /\d/.test(chars[index - 1]!)).length;

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

/** Lines with one confusable character of the document number swapped, or null when no single swap passes both checks. */
export function repairDocumentNumber(lines: readonly string[], format: MrzFormat): string[] | null {
  const { line, start, digit, composite } = layout(format);
  const text = lines[line]!;
  const matches: string[][] = [];
  for (let position = start; position < digit; position++) {
    const swap = SWAPS[text.charAt(position)];
    if (!swap) continue;
    const candidate = [...lines];
    candidate[line] = text.slice(0, position) + swap + text.slice(position + 1);
    if (isCheckDigitValid(candidate[line]!.slice(start, digit), candidate[line]!.charAt(digit)) && composite(candidate)) matches.push(candidate);
  }
  if (matches.length <= 1) return matches[0] ?? null;
  // Several repairs pass: issuers group the letters of a number ('IK6167641', not '1K6I67641'),
  // so prefer the one with fewest letter/digit alternations; a tie means the evidence does not say.
  const ranked = matches
    .map((candidate) => ({ candidate, alternations: alternations(candidate[line]!.slice(start, digit)) }))
    .sort((a, b) => a.alternations - b.alternations);
  return ranked[0]!.alternations < ranked[1]!.alternations ? ranked[0]!.candidate : null;
}
