// Fixed field layout of the ICAO 9303 machine-readable zones (TD1, TD2, TD3).
export type MrzFormat = 'TD1' | 'TD2' | 'TD3';

export interface MrzLayout {
  lineCount: number;
  lineLength: number;
  /**
   * One class string per line, `lineLength` characters each: A = letter or filler, N = digit or
   * filler (check digits of absent optional data), X = any.
   */
  classes: readonly string[];
}

const TD3: MrzLayout = {
  lineCount: 2,
  lineLength: 44,
  classes: [
    'AXAAA' + 'A'.repeat(39),
    'X'.repeat(9) + 'N' + 'AAA' + 'NNNNNN' + 'N' + 'A' + 'NNNNNN' + 'N' + 'X'.repeat(14) + 'N' + 'N',
  ],
};

const TD2: MrzLayout = {
  lineCount: 2,
  lineLength: 36,
  classes: [
    'AXAAA' + 'A'.repeat(31),
    'X'.repeat(9) + 'N' + 'AAA' + 'NNNNNN' + 'N' + 'A' + 'NNNNNN' + 'N' + 'X'.repeat(7) + 'N',
  ],
};

const TD1: MrzLayout = {
  lineCount: 3,
  lineLength: 30,
  classes: [
    'AXAAA' + 'X'.repeat(9) + 'N' + 'X'.repeat(15),
    'NNNNNN' + 'N' + 'A' + 'NNNNNN' + 'N' + 'AAA' + 'X'.repeat(11) + 'N',
    'A'.repeat(30),
  ],
};

export const MRZ_LAYOUTS: Readonly<Record<MrzFormat, MrzLayout>> = { TD1, TD2, TD3 };

export function formatForLineLength(length: number): MrzFormat | null {
  if (length === 30) return 'TD1';
  if (length === 36) return 'TD2';
  if (length === 44) return 'TD3';
  return null;
}
