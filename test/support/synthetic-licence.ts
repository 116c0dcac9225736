// Synthetic US / Canadian driver licence: a printed front and a back with the AAMVA PDF417.
// It imitates the layout of a real card; it is not, and must never pass as, a genuine document.
import bwipjs from 'bwip-js';
import sharp from 'sharp';
import { buildAamvaPayload } from './aamva-payload.ts';
import type { AamvaIdentity } from './aamva-payload.ts';

export interface SyntheticLicenceSpec extends AamvaIdentity {
  portrait: Buffer;
  /** Print different values on the front than the barcode holds (cross-check tests). */
  front?: Partial<Pick<AamvaIdentity, 'surname' | 'firstName' | 'middleNames' | 'birthDate' | 'documentNumber'>>;
}

const WIDTH = 1012;
const HEIGHT = 638;
const JURISDICTION_NAMES: Readonly<Record<string, string>> = {
  IL: 'ILLINOIS', CA: 'CALIFORNIA', NY: 'NEW YORK', TX: 'TEXAS', WA: 'WASHINGTON', ON: 'ONTARIO', BC: 'BRITISH COLUMBIA', QC: 'QUÉBEC',
};

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** US cards print MM/DD/YYYY, Canadian ones YYYY/MM/DD. */
const printedDate = (isoDate: string, country: AamvaIdentity['country']) => {
  const [year, month, day] = isoDate.split('-');
  return country === 'USA' ? `${month}/${day}/${year}` : `${year}/${month}/${day}`;
};

export async function generateDriverLicence(spec: SyntheticLicenceSpec): Promise<{ front: Buffer; back: Buffer }> {
  return { front: await renderFront(spec), back: await renderBack(spec) };
}

async function renderFront(spec: SyntheticLicenceSpec): Promise<Buffer> {
  const shown = { ...spec, ...spec.front };
  const date = (value: string) => printedDate(value, spec.country);
  const given = [shown.firstName, shown.middleNames].filter(Boolean).join(' ');
  const left = Math.round(WIDTH * 0.37);
  const rows: Array<[string, string, number]> = [
    ['4d DLN', shown.documentNumber.toUpperCase(), 32],
    ['1', shown.surname.toUpperCase(), 34],
    ['2', given.toUpperCase(), 30],
    ['8', `${spec.street ?? '123 MAIN ST'}, ${spec.city ?? 'SPRINGFIELD'} ${spec.jurisdiction}`.toUpperCase(), 22],
    ['3 DOB', date(shown.birthDate), 30],
    ['4b EXP', date(spec.expiryDate), 30],
    ['15 SEX', spec.sex, 28],
  ];
  const text = rows.map(([label, value, size], index) => {
    const y = 190 + index * 58;
    return `<text x="${left}" y="${y}" font-family="DejaVu Sans" font-size="18" fill="#7a2630">${escapeXml(label)}</text>`
      + `<text x="${left + 18 + label.length * 11}" y="${y}" font-family="DejaVu Sans" font-weight="bold" font-size="${size}" fill="#111">${escapeXml(value)}</text>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
  <defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#e6eef7"/><stop offset="1" stop-color="#f4ecdf"/></linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#bg)"/>
  <rect width="100%" height="96" fill="#22406e"/>
  <text x="36" y="64" font-family="DejaVu Serif" font-weight="bold" font-size="40" fill="#fff">${escapeXml(JURISDICTION_NAMES[spec.jurisdiction] ?? spec.jurisdiction)}</text>
  <text x="${WIDTH - 36}" y="62" text-anchor="end" font-family="DejaVu Sans" font-weight="bold" font-size="30" fill="#fff">DRIVER LICENSE</text>
  <text x="${WIDTH - 36}" y="${HEIGHT - 30}" text-anchor="end" font-family="DejaVu Sans" font-size="22" fill="#22406e">${spec.country}</text>
  ${text.join('\n  ')}
</svg>`;
  const portraitWidth = Math.round(WIDTH * 0.3);
  const portrait = await sharp(spec.portrait).resize({ width: portraitWidth, height: Math.round(portraitWidth * 1.25), fit: 'cover', position: 'attention' }).toBuffer();
  return sharp(Buffer.from(svg)).composite([{ input: portrait, left: 30, top: 130 }]).jpeg({ quality: 90 }).toBuffer();
}

async function renderBack(spec: SyntheticLicenceSpec): Promise<Buffer> {
  const payload = buildAamvaPayload(spec);
  // Real cards use 10–17 data columns with error correction level 3–5 (AAMVA CDS annex D).
  const pdf417 = await bwipjs.toBuffer({ bcid: 'pdf417', text: payload, columns: 13, eclevel: 5, scale: 3, rowmult: 3, padding: 0 } as Parameters<typeof bwipjs.toBuffer>[0]);
  const code128 = await bwipjs.toBuffer({ bcid: 'code128', text: `${spec.documentNumber.toUpperCase()}${spec.expiryDate.slice(2, 4)}`, scale: 2, height: 9 });
  const barcodeWidth = Math.round(WIDTH * 0.86);
  const barcode = await sharp(pdf417).resize({ width: barcodeWidth, kernel: 'nearest' }).flatten({ background: '#ffffff' }).png().toBuffer();
  const barcodeHeight = (await sharp(barcode).metadata()).height ?? 200;
  const linear = await sharp(code128).resize({ width: 360, height: 60, fit: 'fill' }).flatten({ background: '#ffffff' }).png().toBuffer();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
  <rect width="100%" height="100%" fill="#eef1f4"/>
  <rect x="${(WIDTH - barcodeWidth) / 2 - 14}" y="36" width="${barcodeWidth + 28}" height="${barcodeHeight + 28}" fill="#ffffff"/>
  <text x="40" y="${HEIGHT - 90}" font-family="DejaVu Sans" font-size="18" fill="#333">CLASS D  ENDORSEMENTS NONE  RESTRICTIONS NONE</text>
  <text x="40" y="${HEIGHT - 60}" font-family="DejaVu Sans" font-size="16" fill="#555">This card is the property of the issuing jurisdiction. If found, return it.</text>
</svg>`;
  return sharp(Buffer.from(svg))
    .composite([
      { input: barcode, left: Math.round((WIDTH - barcodeWidth) / 2), top: 50 },
      { input: linear, left: WIDTH - 400, top: HEIGHT - 190 },
    ])
    .jpeg({ quality: 90 })
    .toBuffer();
}
