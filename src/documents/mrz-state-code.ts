// Issuing state and nationality carry no check digit, but they come from a closed list (ICAO 9303
// Part 3: ISO 3166 alpha-3 plus D, GBD/GBN/GBO/GBP/GBS, UNO/UNA/UNK, XXA/XXB/XXC/XXX, EUE, ...).
// An OCR misread that is not on the list ('CAN' → 'OAN') is mapped back through look-alike glyphs
// only when exactly one listed code is reachable that way; otherwise it stays invalid.
import { states } from 'mrz';

/** ICAO 9303's specimen state "Utopia" (UTO): valid for the reader (verid's test documents carry it). */
export const SPECIMEN_STATE = 'UTO';
const CODES: ReadonlySet<string> = new Set([...Object.keys(states).map((code) => code.padEnd(3, '<')), SPECIMEN_STATE]);

/** OCR-B glyphs that OCR engines confuse, after digits in letter positions became letters. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  O: 'DQUC', D: 'O', Q: 'O', U: 'OV', V: 'U', C: 'GO', G: 'C', I: 'L', L: 'I', E: 'F', F: 'E', B: 'E', K: '<', '<': 'K',
  M: 'N', N: 'M', H: 'N',
};
const MAX_SUBSTITUTIONS = 2;

export const isStateCode = (code: string): boolean => CODES.has(code);

/** Every code reachable from `code` by up to `budget` look-alike substitutions. */
function reachable(code: string, budget: number, from = 0): string[] {
  if (budget === 0 || from >= code.length) return [];
  const out: string[] = [];
  for (let index = from; index < code.length; index++) {
    for (const swap of LOOKALIKES[code.charAt(index)] ?? '') {
      const candidate = code.slice(0, index) + swap + code.slice(index + 1);
      out.push(candidate, ...reachable(candidate, budget - 1, index + 1));
    }
  }
  return out;
}

/** The code itself when listed; else the one listed code its look-alikes reach; else null. */
export function resolveStateCode(code: string): string | null {
  if (CODES.has(code)) return code;
  const listed = new Set(reachable(code, MAX_SUBSTITUTIONS).filter((candidate) => CODES.has(candidate)));
  return listed.size === 1 ? [...listed][0]! : null;
}
