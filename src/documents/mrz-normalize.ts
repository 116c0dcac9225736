// OCR clean-up of candidate MRZ lines: alphabet folding and position-aware letter/digit fixes.

/** Characters OCR engines emit for the filler glyph '<'. */
const FILLER_LOOKALIKES = /[«‹〈＜(\[{]/g;
/** Non-ASCII look-alikes PaddleOCR's multilingual dictionary emits for MRZ glyphs. */
const LOOKALIKES: Readonly<Record<string, string>> = { '×': 'X', '|': 'I', 'Ⅰ': 'I', 'О': 'O', 'С': 'C' };

/** Upper-cases, folds filler look-alikes to '<' and removes spaces and anything outside [A-Z0-9<]. */
export function normalizeOcrLine(text: string): string {
  return text
    .toUpperCase()
    .replace(FILLER_LOOKALIKES, '<')
    .replace(/[×|ⅠОС]/g, (char) => LOOKALIKES[char] ?? char)
    .normalize('NFD')
    .replace(/[^A-Z0-9<]/g, '');
}

// Only pairs whose glyphs are genuinely confusable in OCR-B; anything else is left for the check digits to reject.
const LETTER_TO_DIGIT: Readonly<Record<string, string>> = {
  O: '0', Q: '0', D: '0', U: '0', I: '1', L: '1', Z: '2', S: '5', G: '6', T: '7', B: '8',
};
const DIGIT_TO_LETTER: Readonly<Record<string, string>> = {
  '0': 'O', '1': 'I', '2': 'Z', '4': 'A', '5': 'S', '6': 'G', '7': 'T', '8': 'B',
};

/**
 * Forces each character into the class its position allows ('A' letter or filler, 'N' digit or
 * filler, 'X' anything). Returns the fixed line and how many characters were changed.
 */
export function applyPositionalClasses(line: string, classes: string): { line: string; changes: number } {
  let out = '';
  let changes = 0;
  for (let index = 0; index < line.length; index++) {
    const char = line.charAt(index);
    const kind = classes.charAt(index);
    let fixed = char;
    if (kind === 'N' && /[A-Z]/.test(char)) fixed = LETTER_TO_DIGIT[char] ?? char;
    else if (kind === 'A' && /[0-9]/.test(char)) fixed = DIGIT_TO_LETTER[char] ?? char;
    if (fixed !== char) changes++;
    out += fixed;
  }
  return { line: out, changes };
}
