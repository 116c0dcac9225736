// AAMVA DL/ID Card Design Standard (2020) barcode payload: compliance indicator, file header,
// one subfile designator and the DL subfile, as encoded in the PDF417 on a licence back.

export interface AamvaIdentity {
  country: 'USA' | 'CAN';
  /** Two-letter state / province code, e.g. 'IL', 'ON'. */
  jurisdiction: string;
  surname: string;
  firstName: string;
  middleNames?: string;
  documentNumber: string;
  birthDate: string; // YYYY-MM-DD
  expiryDate: string; // YYYY-MM-DD
  issueDate?: string; // YYYY-MM-DD
  sex: 'M' | 'F' | 'X';
  street?: string;
  city?: string;
  postalCode?: string;
}

/** Issuer identification numbers (IIN) of a few jurisdictions; others fall back to Illinois'. */
const IIN: Readonly<Record<string, string>> = {
  IL: '636035', CA: '636014', NY: '636001', TX: '636015', WA: '636045', ON: '636012', BC: '636028', QC: '604428',
};
const AAMVA_VERSION = '10';

/** US documents write dates MMDDCCYY, Canadian ones CCYYMMDD. */
function aamvaDate(isoDate: string, country: AamvaIdentity['country']): string {
  const [year, month, day] = isoDate.split('-');
  return country === 'USA' ? `${month}${day}${year}` : `${year}${month}${day}`;
}

const SEX_CODE = { M: '1', F: '2', X: '9' } as const;
/** AAMVA fields are upper-case ASCII: 'José' → 'JOSE'. */
const ascii = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z0-9 '\-,.]/g, '');

/** The decoded text of the PDF417: '@\n\x1e\rANSI 636035100001DL00310225DLDAQ…\r'. */
export function buildAamvaPayload(identity: AamvaIdentity): string {
  const date = (value: string) => aamvaDate(value, identity.country);
  const elements: Array<[string, string]> = [
    ['DCA', 'D'], ['DCB', 'NONE'], ['DCD', 'NONE'],
    ['DBA', date(identity.expiryDate)],
    ['DCS', ascii(identity.surname)],
    ['DAC', ascii(identity.firstName)],
    ['DAD', ascii(identity.middleNames ?? '') || 'NONE'],
    ['DBD', date(identity.issueDate ?? '2022-01-10')],
    ['DBB', date(identity.birthDate)],
    ['DBC', SEX_CODE[identity.sex]],
    ['DAY', 'BRO'], ['DAU', '070 IN'],
    ['DAG', (identity.street ?? '123 MAIN ST').toUpperCase()],
    ['DAI', (identity.city ?? 'SPRINGFIELD').toUpperCase()],
    ['DAJ', identity.jurisdiction],
    ['DAK', identity.postalCode ?? (identity.country === 'USA' ? '627010000' : 'K1A0B1')],
    ['DAQ', identity.documentNumber.toUpperCase()],
    ['DCF', `${identity.documentNumber.toUpperCase()}DD${identity.birthDate.replace(/-/g, '').slice(2)}`],
    ['DCG', identity.country],
    ['DDE', 'N'], ['DDF', 'N'], ['DDG', 'N'],
  ];
  const subfile = `DL${elements.map(([id, value]) => id + value).join('\n')}\r`;
  const iin = IIN[identity.jurisdiction] ?? IIN.IL!;
  const header = `@\n\x1e\rANSI ${iin}${AAMVA_VERSION}0001`;
  const offset = header.length + 10;
  return `${header}DL${String(offset).padStart(4, '0')}${String(subfile.length).padStart(4, '0')}${subfile}`;
}
