// PaddleOCR often reads a lone '<' between letters as 'K'. Names carry no check digit, so the
// printed (visual) zone of the same page is the evidence used to decide which 'K's are fillers.
import { transliterateName } from './transliterate.ts';

const MAX_AMBIGUOUS = 10;

export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** Words of the visual zone in MRZ spelling ('Müller-Lüdenscheidt' → MULLER, LUDENSCHEIDT). */
export function visualWords(texts: readonly string[]): Set<string> {
  const words = new Set<string>();
  for (const text of texts) {
    for (const word of transliterateName(text).split('<')) if (word.length >= 2) words.add(word);
  }
  return words;
}

/**
 * How well the visual zone supports a word: its length when printed as is (or, at the end of a
 * truncated field, as the start of a longer word); a little less when printed inside a longer word
 * (OCR often drops the space between printed names); much less per edit when printed with
 * transliteration drift (MUELLER / MULLER: letters added or dropped, never a letter swapped for
 * another, which is a misread on one side); -1 when unsupported. Exact matches must beat near
 * matches, or a 'K' glued to a name (KANNA) would win over the name itself (ANNA).
 */
function support(word: string, isLast: boolean, words: ReadonlySet<string>): number {
  if (words.has(word)) return word.length;
  let best = -1;
  const tolerance = Math.floor(word.length / 5);
  for (const visual of words) {
    if (isLast && word.length >= 2 && visual.startsWith(word)) return word.length;
    if (word.length >= 3 && visual.includes(word)) best = Math.max(best, word.length - 1);
    // Transliteration drift adds or drops letters (MUELLER / MULLER); a same-length word that
    // differs is one of two OCR readings misreading a letter (LINDQVIST / LINDOVIST): no support.
    if (tolerance === 0 || visual.length === word.length || Math.abs(visual.length - word.length) > tolerance) continue;
    const distance = editDistance(word, visual);
    if (distance <= tolerance) best = Math.max(best, word.length - 4 * distance);
  }
  return best;
}

/** Letters of the name field printed in the visual zone, minus one per unsupported word. */
export function nameSupportScore(nameField: string, words: ReadonlySet<string>): number {
  const parts = nameField.split('<').filter(Boolean);
  const lastIsTruncated = !nameField.endsWith('<');
  return parts.reduce((total, part, index) =>
    total + support(part, lastIsTruncated && index === parts.length - 1, words), 0);
}

/** True when every word of the name field is printed in the visual zone (null: no visual zone to compare). */
export function nameConfirmedByVisualZone(nameField: string, words: ReadonlySet<string>): boolean | null {
  if (words.size === 0) return null;
  const parts = nameField.split('<').filter(Boolean);
  const lastIsTruncated = !nameField.endsWith('<');
  return parts.every((part, index) => support(part, lastIsTruncated && index === parts.length - 1, words) > 0);
}

/**
 * What the MRZ grammar alone says about 'K's in a name field: after the secondary identifier the
 * field is padding, and two fillers never occur inside it, so a 'K' after '<<' in the trailing run
 * of 'K' and '<' is a filler ('DOE<<ANNA<<K<K<<' → 'DOE<<ANNA<<<<<<<'). A 'K' after one filler may
 * be an initial, and a 'K' between letters ('SZYMANSKAKLEWANDOWSKA') may be a name's or a '<': the
 * grammar cannot say, the printed name does.
 */
export function structuralNameFillers(nameField: string): string {
  const trailing = /<+[K<]*$/.exec(nameField);
  if (!trailing || !nameField.slice(0, trailing.index).includes('<<')) return nameField;
  let tail = trailing[0];
  while (/<<K/.test(tail)) tail = tail.replace(/<<K/, '<<<');
  return nameField.slice(0, trailing.index) + tail;
}

/** Picks, for each 'K' of the name field, 'K' or '<', whichever the visual zone supports better. */
export function resolveNameFillers(nameField: string, words: ReadonlySet<string>): string {
  const positions = [...nameField.matchAll(/K/g)].map((match) => match.index);
  if (words.size === 0 || positions.length === 0 || positions.length > MAX_AMBIGUOUS) return nameField;
  let best = nameField;
  let bestScore = nameSupportScore(nameField, words);
  for (let mask = 1; mask < 1 << positions.length; mask++) {
    const chars = [...nameField];
    positions.forEach((position, bit) => { if (mask & (1 << bit)) chars[position] = '<'; });
    const candidate = chars.join('');
    const candidateScore = nameSupportScore(candidate, words);
    if (candidateScore > bestScore) { best = candidate; bestScore = candidateScore; }
  }
  return best;
}

/**
 * OCR sometimes drops a letter of a name ('OLGA' → 'OGA'); the line-length repair then pads the
 * field with one more filler. A name word the visual zone does not print, but prints with exactly
 * one letter more, is restored from it when a trailing filler can absorb the letter.
 */
export function restoreDroppedLetters(nameField: string, words: ReadonlySet<string>): string {
  if (words.size === 0) return nameField;
  let field = nameField;
  const parts = field.split('<').filter(Boolean);
  for (const part of parts) {
    if (words.has(part) || !field.endsWith('<')) continue;
    const candidates = [...words].filter((word) => word.length === part.length + 1 && editDistance(part, word) === 1);
    if (candidates.length !== 1) continue;
    const position = field.search(new RegExp(`(^|<)${part}(<|$)`));
    if (position < 0) continue;
    const start = position === 0 && field.startsWith(part) ? 0 : position + 1;
    field = `${field.slice(0, start)}${candidates[0]}${field.slice(start + part.length, -1)}`;
  }
  return field;
}
