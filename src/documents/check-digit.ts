// ICAO 9303 Part 3 §4.9: weights 7,3,1 repeating; digits = value, A–Z = 10–35, filler '<' = 0.
const WEIGHTS = [7, 3, 1] as const;

function characterValue(char: string): number {
  const code = char.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 65 && code <= 90) return code - 55; // A-Z
  if (char === '<') return 0;
  return -1;
}

/** Check digit of an MRZ field, or null if the field contains a character outside [0-9A-Z<]. */
export function computeCheckDigit(field: string): string | null {
  let sum = 0;
  for (let index = 0; index < field.length; index++) {
    const value = characterValue(field.charAt(index));
    if (value < 0) return null;
    sum += value * WEIGHTS[index % 3]!;
  }
  return String(sum % 10);
}

/**
 * True when `checkDigit` is the check digit of `field`. An all-filler optional field may carry
 * '<' as its check digit (ICAO 9303 Part 4 §4.2.2), which is accepted only when `allowFiller`.
 */
export function isCheckDigitValid(field: string, checkDigit: string, allowFiller = false): boolean {
  if (allowFiller && checkDigit === '<' && /^<*$/.test(field)) return true;
  return computeCheckDigit(field) === checkDigit;
}
