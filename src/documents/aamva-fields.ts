// AAMVA barcode text (the PDF417 of a US / Canadian licence or ID card) → document fields.
import { parse as parseAamva } from 'aamva-parser';
import type { DocumentFields } from './types.ts';

export interface AamvaReading {
  fields: DocumentFields;
  /** AAMVA CDS version from the file header ('10' for the 2020 standard). */
  version: string;
  /** Header and mandatory elements present (DAQ, DCS, DBB, DBA). */
  valid: boolean;
  /** Element ids that are mandatory but absent or malformed. */
  invalidElements: string[];
}

const HEADER = /^@\s*\n?\x1e?\r?(ANSI |AAMVA)(\d{6})(\d{2})/;

/** Element id → value of every data element ('DAQ' → 'D1234567'). */
export function aamvaElements(text: string): Map<string, string> {
  const elements = new Map<string, string>();
  for (const raw of text.split(/[\n\r\x1e]+/)) {
    // The first element of a subfile follows its type ('DLDAQ…', 'IDDAQ…').
    const line = /^D[A-Z]{2}/.test(raw) ? raw : raw.replace(/^.*?(?:DL|ID)(?=D[A-Z]{2})/, '');
    const match = /^(D[A-Z]{2})(.*)$/.exec(line.trim());
    if (match && !elements.has(match[1]!)) elements.set(match[1]!, match[2]!.trim());
  }
  return elements;
}

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** US documents write MMDDCCYY, Canadian ones CCYYMMDD (aamva-parser assumes the US form). */
export function aamvaDate(value: string | undefined, country: string): string | null {
  if (!value || !/^\d{8}$/.test(value)) return null;
  const n = (from: number, to: number) => Number(value.slice(from, to));
  const yearFirst = isoDate(n(0, 4), n(4, 6), n(6, 8));
  const monthFirst = isoDate(n(4, 8), n(0, 2), n(2, 4));
  return country === 'CAN' ? yearFirst ?? monthFirst : monthFirst ?? yearFirst;
}

const SEX: Readonly<Record<string, DocumentFields['sex']>> = { '1': 'M', '2': 'F', M: 'M', F: 'F' };
const clean = (value: string | null | undefined) => (value && value !== 'NONE' && value !== 'unavl' ? value.trim().replace(/\s+/g, ' ').toUpperCase() : '');

/** Null when the text is not an AAMVA payload at all. */
export function readAamva(text: string): AamvaReading | null {
  const header = HEADER.exec(text.trimStart());
  const elements = aamvaElements(text);
  if (!header && !elements.has('DAQ')) return null;
  let parsed: ReturnType<typeof parseAamva> | null = null;
  try { parsed = parseAamva(text); } catch { parsed = null; }
  const country = clean(elements.get('DCG')) || (parsed?.countryCode ?? '') || 'USA';
  const firstName = clean(elements.get('DAC') ?? elements.get('DCT') ?? parsed?.firstName);
  const middleNames = clean(elements.get('DAD') ?? parsed?.middleName);
  const fields: DocumentFields = {
    documentType: 'driver_licence',
    source: 'pdf417',
    issuingCountry: country === 'CAN' ? 'CAN' : 'USA',
    nationality: '',
    documentNumber: clean(elements.get('DAQ') ?? parsed?.driversLicenseId),
    surname: clean(elements.get('DCS') ?? parsed?.lastName),
    givenNames: [firstName, middleNames].filter(Boolean).join(' '),
    birthDate: aamvaDate(elements.get('DBB'), country),
    expiryDate: aamvaDate(elements.get('DBA'), country),
    sex: SEX[elements.get('DBC') ?? ''] ?? 'X',
  };
  const invalidElements = [
    ...(!header ? ['header'] : []),
    ...(!fields.documentNumber ? ['DAQ'] : []),
    ...(!fields.surname ? ['DCS'] : []),
    ...(!fields.birthDate ? ['DBB'] : []),
    ...(!fields.expiryDate ? ['DBA'] : []),
  ];
  return { fields, version: header?.[3] ?? '', valid: invalidElements.length === 0, invalidElements };
}
