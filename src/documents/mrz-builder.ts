// Builds ICAO 9303 MRZ lines with correct check digits (synthetic and demo test documents).
import { computeCheckDigit } from './check-digit.ts';
import { mrzNameField } from './transliterate.ts';

export type CorruptCheckDigit =
  | 'documentNumberCheckDigit' | 'birthDateCheckDigit' | 'expiryDateCheckDigit' | 'compositeCheckDigit';

export interface MrzData {
  documentCode: string; // 'P', 'I', 'ID', 'AC' …
  issuingCountry: string;
  nationality: string;
  surname: string;
  givenNames: string;
  documentNumber: string;
  birthDate: string; // YYYY-MM-DD
  expiryDate: string; // YYYY-MM-DD
  sex: 'M' | 'F' | 'X';
  corrupt?: CorruptCheckDigit | undefined;
}

const digit = (field: string) => computeCheckDigit(field) ?? '0';
const pad = (value: string, length: number) => value.slice(0, length).padEnd(length, '<');
const yymmdd = (isoDate: string) => isoDate.slice(2, 4) + isoDate.slice(5, 7) + isoDate.slice(8, 10);
const sexCode = (sex: MrzData['sex']) => (sex === 'X' ? '<' : sex);
/** A wrong check digit that is still a digit, so only the check fails, not the character class. */
const flip = (checkDigit: string) => String((Number(checkDigit) + 5) % 10);

function checkedFields(data: MrzData) {
  const documentNumber = pad(data.documentNumber.toUpperCase(), 9);
  const birth = yymmdd(data.birthDate);
  const expiry = yymmdd(data.expiryDate);
  const wrongIf = (key: CorruptCheckDigit, value: string) => (data.corrupt === key ? flip(value) : value);
  return {
    documentNumber,
    documentNumberDigit: wrongIf('documentNumberCheckDigit', digit(documentNumber)),
    birth,
    birthDigit: wrongIf('birthDateCheckDigit', digit(birth)),
    expiry,
    expiryDigit: wrongIf('expiryDateCheckDigit', digit(expiry)),
  };
}

/** TD3 (passport): two lines of 44. */
export function buildTd3(data: MrzData): [string, string] {
  const f = checkedFields(data);
  const line1 = pad(data.documentCode, 2) + data.issuingCountry + mrzNameField(data.surname, data.givenNames, 39);
  const personalNumber = '<'.repeat(14);
  const personalDigit = '<';
  const body = f.documentNumber + f.documentNumberDigit + data.nationality + f.birth + f.birthDigit
    + sexCode(data.sex) + f.expiry + f.expiryDigit + personalNumber + personalDigit;
  const composite = digit(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43));
  return [line1, body + (data.corrupt === 'compositeCheckDigit' ? flip(composite) : composite)];
}

/** TD1 (ID card): three lines of 30. */
export function buildTd1(data: MrzData): [string, string, string] {
  const f = checkedFields(data);
  const line1 = pad(data.documentCode, 2) + data.issuingCountry + f.documentNumber + f.documentNumberDigit
    + '<'.repeat(15);
  const line2Body = f.birth + f.birthDigit + sexCode(data.sex) + f.expiry + f.expiryDigit + data.nationality
    + '<'.repeat(11);
  const composite = digit(line1.slice(5, 30) + line2Body.slice(0, 7) + line2Body.slice(8, 15) + line2Body.slice(18, 29));
  const line2 = line2Body + (data.corrupt === 'compositeCheckDigit' ? flip(composite) : composite);
  return [line1, line2, mrzNameField(data.surname, data.givenNames, 30)];
}
