// Field extraction and check-digit verification for length-correct MRZ lines.
import { isCheckDigitValid } from './check-digit.ts';
import type { MrzFormat } from './mrz-format.ts';
import { splitNameField } from './transliterate.ts';
import type { DocumentFields, DocumentType, MrzChecks } from './types.ts';

export interface MrzParse {
  fields: DocumentFields;
  checks: MrzChecks;
  nameField: string;
}

const trimFiller = (value: string) => value.replace(/<+$/, '').replace(/</g, ' ').trim();

function classify(documentCode: string, format: MrzFormat): DocumentType {
  const kind = documentCode.charAt(0);
  if (kind === 'P') return 'passport';
  if (format !== 'TD3' && (kind === 'I' || kind === 'A' || kind === 'C')) return 'id_card';
  return 'unknown';
}

function toIsoDate(yymmdd: string, century: number): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const year = century + Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** Birth dates lie in the past: the latest century that does not put the date after `now`. */
export function resolveBirthDate(yymmdd: string, now: Date): string | null {
  const recent = toIsoDate(yymmdd, 2000);
  if (recent && recent <= now.toISOString().slice(0, 10)) return recent;
  return toIsoDate(yymmdd, 1900);
}

/** Expiry dates lie at most ~20 years ahead (ICAO documents are valid 10 years at most). */
export function resolveExpiryDate(yymmdd: string, now: Date): string | null {
  const recent = toIsoDate(yymmdd, 2000);
  if (recent && Number(recent.slice(0, 4)) <= now.getUTCFullYear() + 20) return recent;
  return toIsoDate(yymmdd, 1900);
}

function sexOf(code: string): DocumentFields['sex'] {
  return code === 'M' || code === 'F' ? code : 'X';
}

/** Reads the fields of MRZ lines that already have the format's exact length. */
export function parseMrzLines(lines: readonly string[], format: MrzFormat, now: Date): MrzParse {
  const [first = '', second = '', third = ''] = lines;
  const documentCode = first.slice(0, 2);
  const issuingCountry = trimFiller(first.slice(2, 5));
  let documentNumber: string, documentNumberDigit: string, nationality: string, birth: string, birthDigit: string;
  let sex: string, expiry: string, expiryDigit: string, nameField: string, composite: boolean;
  let personalNumber: boolean | null = null;
  if (format === 'TD1') {
    [documentNumber, documentNumberDigit] = [first.slice(5, 14), first.charAt(14)];
    [birth, birthDigit, sex] = [second.slice(0, 6), second.charAt(6), second.charAt(7)];
    [expiry, expiryDigit, nationality] = [second.slice(8, 14), second.charAt(14), second.slice(15, 18)];
    nameField = third;
    composite = isCheckDigitValid(first.slice(5, 30) + second.slice(0, 7) + second.slice(8, 15) + second.slice(18, 29), second.charAt(29));
  } else {
    const end = format === 'TD3' ? 43 : 35;
    [documentNumber, documentNumberDigit, nationality] = [second.slice(0, 9), second.charAt(9), second.slice(10, 13)];
    [birth, birthDigit, sex] = [second.slice(13, 19), second.charAt(19), second.charAt(20)];
    [expiry, expiryDigit] = [second.slice(21, 27), second.charAt(27)];
    nameField = first.slice(5);
    if (format === 'TD3') personalNumber = isCheckDigitValid(second.slice(28, 42), second.charAt(42), true);
    composite = isCheckDigitValid(second.slice(0, 10) + second.slice(13, 20) + second.slice(21, end), second.charAt(end));
  }
  const checks: MrzChecks = {
    documentNumber: isCheckDigitValid(documentNumber, documentNumberDigit),
    birthDate: isCheckDigitValid(birth, birthDigit),
    expiryDate: isCheckDigitValid(expiry, expiryDigit),
    personalNumber,
    composite,
  };
  const { surname, givenNames } = splitNameField(nameField);
  const fields: DocumentFields = {
    documentType: classify(documentCode, format),
    source: 'mrz',
    mrzFormat: format,
    issuingCountry,
    nationality: trimFiller(nationality),
    documentNumber: trimFiller(documentNumber),
    surname,
    givenNames,
    birthDate: resolveBirthDate(birth, now),
    expiryDate: resolveExpiryDate(expiry, now),
    sex: sexOf(sex),
  };
  return { fields, checks, nameField };
}

/** Every applicable check digit passed. */
export function allChecksPass(checks: MrzChecks): boolean {
  return checks.documentNumber && checks.birthDate && checks.expiryDate && checks.composite && checks.personalNumber !== false;
}
