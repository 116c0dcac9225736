// Does the name on the document belong to the person we expected (invitation / directory name)?
// Tolerant of middle names, word order, diacritics, hyphens and MRZ truncation; near spellings
// (Jon / John, Aleksandr / Alexander) only WARN, so a reviewer looks before they pass.
import { editDistance } from './name-crosscheck.ts';
import { transliterateName } from './transliterate.ts';
import type { DocumentFields, ScoreItem } from './types.ts';

type Strength = 'exact' | 'near' | 'none';

/** 'Müller-Lüdenscheidt' → ['MULLER', 'LUDENSCHEIDT']: ICAO and plain diacritic folding agree. */
export function nameTokens(name: string): string[] {
  return transliterateName(name).replace(/AE/g, 'A').replace(/OE/g, 'O').replace(/UE/g, 'U').split('<').filter(Boolean);
}

/** Spelling variants that transliteration between alphabets produces. */
const phonetic = (token: string) =>
  token.replace(/KS/g, 'X').replace(/PH/g, 'F').replace(/CK/g, 'K').replace(/Y/g, 'I').replace(/W/g, 'V').replace(/H/g, '').replace(/(.)\1+/g, '$1');

function strength(documentToken: string, expected: readonly string[]): Strength {
  if (expected.includes(documentToken)) return 'exact';
  let best: Strength = 'none';
  for (const token of expected) {
    // The MRZ truncates long names: 'MA' at the end of a full field stands for 'MARIA'.
    if (documentToken.length >= 2 && token.startsWith(documentToken) && token.length > documentToken.length) best = 'near';
    const a = phonetic(documentToken);
    const b = phonetic(token);
    const tolerance = Math.min(a.length, b.length) >= 7 ? 2 : Math.min(a.length, b.length) >= 3 ? 1 : 0;
    if (a === b || editDistance(a, b) <= tolerance) best = 'near';
    if ((documentToken.length === 1 && token.startsWith(documentToken)) || (token.length === 1 && documentToken.startsWith(token))) best = 'near';
  }
  return best;
}

function best(strengths: readonly Strength[]): Strength {
  return strengths.includes('exact') ? 'exact' : strengths.includes('near') ? 'near' : 'none';
}

/** OK: surname and first given name both on the expected name; WARN: only near spellings; FAIL otherwise. */
export function nameMatch(expectedName: string, fields: Pick<DocumentFields, 'surname' | 'givenNames'>): ScoreItem {
  const expected = nameTokens(expectedName);
  const surname = nameTokens(fields.surname);
  const given = nameTokens(fields.givenNames);
  const all = [...surname, ...given];
  if (expected.length === 0 || all.length === 0) return { key: 'nameMatch', value: null, status: 'UNKNOWN' };
  const surnameStrength = best(surname.map((token) => strength(token, expected)));
  const givenStrength = given.length === 0 ? 'exact' : strength(given[0]!, expected);
  const exactShare = all.filter((token) => expected.includes(token)).length / all.length;
  const value = Math.round(exactShare * 100) / 100;
  if (surnameStrength === 'exact' && givenStrength === 'exact') return { key: 'nameMatch', value, status: 'OK' };
  if (surnameStrength !== 'none' && givenStrength !== 'none') return { key: 'nameMatch', value, status: 'WARN' };
  return { key: 'nameMatch', value, status: 'FAIL' };
}

/** Reason codes of the nameMatch item: a mismatch fails the session, a near match goes to review. */
const NAME_MATCH_REASONS: Readonly<Record<string, readonly string[]>> = { FAIL: ['name_mismatch'], WARN: ['name_near_match'] };

/** The `nameMatch` item of a document against the expected (invitation / directory) name, with its reason codes. */
export function checkExpectedName(expectedName: string, fields: Pick<DocumentFields, 'surname' | 'givenNames'>): { item: ScoreItem; reasons: string[] } {
  const item = nameMatch(expectedName, fields);
  return { item, reasons: [...(NAME_MATCH_REASONS[item.status] ?? [])] };
}
