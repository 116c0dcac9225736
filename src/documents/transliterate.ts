// ICAO 9303 Part 3 §6 transliteration of names into the MRZ alphabet (A–Z and '<').
const SPECIAL: Readonly<Record<string, string>> = {
  Æ: 'AE', Ø: 'OE', Å: 'AA', Ä: 'AE', Ö: 'OE', Ü: 'UE', ß: 'SS', Œ: 'OE', Þ: 'TH', Ð: 'D', Ł: 'L', Ĳ: 'IJ',
};

/** 'Müller-Lüdenscheidt' → 'MUELLER<LUEDENSCHEIDT'. Apostrophes vanish, other separators become '<'. */
export function transliterateName(name: string): string {
  const upper = name.trim().toUpperCase();
  let out = '';
  for (const char of upper) {
    const special = SPECIAL[char];
    if (special) { out += special; continue; }
    const base = char.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (/^[A-Z]$/.test(base)) out += base;
    else if (char === "'" || char === '’') continue;
    else out += '<';
  }
  return out.replace(/<+/g, '<').replace(/^<|<$/g, '');
}

/** The MRZ name field: PRIMARY<<SECONDARY, filled or truncated to `length`. */
export function mrzNameField(surname: string, givenNames: string, length: number): string {
  const primary = transliterateName(surname);
  const secondary = transliterateName(givenNames);
  const joined = secondary ? `${primary}<<${secondary}` : primary;
  return joined.slice(0, length).padEnd(length, '<');
}

/** Inverse of the name field: 'SMITH<<JOHN<PETER<<<' → { surname: 'SMITH', givenNames: 'JOHN PETER' }. */
export function splitNameField(field: string): { surname: string; givenNames: string } {
  const trimmed = field.replace(/<+$/, '');
  const separator = trimmed.indexOf('<<');
  const primary = separator < 0 ? trimmed : trimmed.slice(0, separator);
  const secondary = separator < 0 ? '' : trimmed.slice(separator + 2);
  const human = (part: string) => part.split('<').filter(Boolean).join(' ');
  return { surname: human(primary), givenNames: human(secondary) };
}
