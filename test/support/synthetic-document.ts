// Synthetic identity documents (TD3 passport data page, TD1 ID card front) for tests and benches.
// They imitate the layout of a real data page; they are not, and must never pass as, genuine documents.
import sharp from 'sharp';
import { buildTd1, buildTd3 } from '../../src/documents/mrz-builder.ts';
import type { MrzData } from '../../src/documents/mrz-builder.ts';

/** The MRZ data of the page (issuing country ICAO alpha-3, e.g. 'GBR'; nationality defaults to it) and its portrait. */
export type SyntheticDocumentSpec = Omit<MrzData, 'documentCode' | 'nationality'> & { nationality?: string; portrait: Buffer };

const OCRB_FILE = '/usr/share/fonts/opentype/ocr-b/OCRB.otf';
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

interface PageLayout {
  kind: 'passport' | 'id_card';
  width: number;
  height: number;
  title: string;
  mrzLines: string[];
  /** MRZ block height as a fraction of the page height. */
  mrzHeight: number;
  fontScale: number;
}

export function generatePassport(spec: SyntheticDocumentSpec): Promise<Buffer> {
  const mrzLines = buildTd3(toMrzData(spec, 'P'));
  return renderPage(spec, { kind: 'passport', width: 1250, height: 880, title: 'PASSPORT', mrzLines, mrzHeight: 0.2, fontScale: 1 });
}

export function generateIdCard(spec: SyntheticDocumentSpec): Promise<Buffer> {
  const mrzLines = buildTd1(toMrzData(spec, 'ID'));
  return renderPage(spec, { kind: 'id_card', width: 1070, height: 675, title: 'IDENTITY CARD', mrzLines, mrzHeight: 0.33, fontScale: 0.85 });
}

function toMrzData(spec: SyntheticDocumentSpec, documentCode: string): MrzData {
  return {
    documentCode,
    issuingCountry: spec.issuingCountry,
    nationality: spec.nationality ?? spec.issuingCountry,
    surname: spec.surname,
    givenNames: spec.givenNames,
    documentNumber: spec.documentNumber,
    birthDate: spec.birthDate,
    expiryDate: spec.expiryDate,
    sex: spec.sex,
    corrupt: spec.corrupt,
  };
}

/** '1974-08-12' → '12 AUG 1974', the usual printed form on a data page. */
function visualDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day} ${MONTHS[Number(month) - 1]} ${year}`;
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function backgroundSvg(spec: SyntheticDocumentSpec, page: PageLayout, fieldsLeft: number): string {
  const s = page.fontScale;
  const fields: Array<[string, string]> = [
    ...(page.kind === 'passport' ? [['Type / Type', 'P'] as [string, string]] : []),
    ['Surname / Nom', spec.surname.toUpperCase()],
    ['Given names / Prénoms', spec.givenNames.toUpperCase()],
    ['Nationality / Nationalité', spec.nationality ?? spec.issuingCountry],
    ['Date of birth / Date de naissance', visualDate(spec.birthDate)],
    ['Sex / Sexe', spec.sex],
    ['Date of expiry / Date d\'expiration', visualDate(spec.expiryDate)],
    ['Document no. / No. du document', spec.documentNumber],
  ];
  const top = page.height * 0.17;
  const step = (page.height * (1 - page.mrzHeight) - top - 20) / fields.length;
  const rows = fields.map(([label, value], index) => {
    const y = top + index * step;
    return `<text x="${fieldsLeft}" y="${y + 16 * s}" font-family="DejaVu Sans" font-size="${15 * s}" fill="#3c4a78">${escapeXml(label)}</text>`
      + `<text x="${fieldsLeft}" y="${y + 44 * s}" font-family="DejaVu Sans" font-weight="bold" font-size="${25 * s}" fill="#111">${escapeXml(value)}</text>`;
  });
  const mrzTop = page.height * (1 - page.mrzHeight);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${page.width}" height="${page.height}">
  <defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="#eef3f8"/><stop offset="0.5" stop-color="#f7efe6"/><stop offset="1" stop-color="#e9f2ec"/>
  </linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#bg)"/>
  <circle cx="${page.width * 0.7}" cy="${page.height * 0.42}" r="${page.height * 0.3}" fill="none" stroke="#d9dfe9" stroke-width="10"/>
  <text x="${page.width * 0.04}" y="${page.height * 0.1}" font-family="DejaVu Serif" font-weight="bold" font-size="${40 * s}" fill="#1d2b5c">${escapeXml(page.title)}</text>
  <text x="${page.width * 0.96}" y="${page.height * 0.1}" text-anchor="end" font-family="DejaVu Sans" font-size="${28 * s}" fill="#1d2b5c">${escapeXml(spec.issuingCountry)}</text>
  ${rows.join('\n  ')}
  <rect y="${mrzTop}" width="100%" height="${page.height - mrzTop}" fill="#fbfbf8"/>
</svg>`;
}

async function renderMrz(lines: string[], width: number, height: number): Promise<Buffer> {
  const text = lines.map(escapeXml).join('\n');
  const rendered = await sharp({ text: { text, font: 'OCR B 22', fontfile: OCRB_FILE, rgba: true, dpi: 300, spacing: 20 } })
    .png().toBuffer();
  return sharp(rendered).resize({ width, height, fit: 'inside' }).png().toBuffer();
}

async function renderPage(spec: SyntheticDocumentSpec, page: PageLayout): Promise<Buffer> {
  const portraitWidth = Math.round(page.width * 0.32);
  const portraitHeight = Math.round(portraitWidth * 1.28);
  const portraitLeft = Math.round(page.width * 0.04);
  const portraitTop = Math.round(page.height * 0.15);
  const availableHeight = Math.round(page.height * (1 - page.mrzHeight)) - portraitTop - 10;
  const portrait = await sharp(spec.portrait)
    .resize({ width: portraitWidth, height: Math.min(portraitHeight, availableHeight), fit: 'cover', position: 'attention' })
    .toBuffer();
  const fieldsLeft = portraitLeft + portraitWidth + Math.round(page.width * 0.04);
  const mrzWidth = Math.round(page.width * 0.92);
  const mrzBlockHeight = Math.round(page.height * page.mrzHeight * 0.8);
  const mrz = await renderMrz(page.mrzLines, mrzWidth, mrzBlockHeight);
  const mrzMeta = await sharp(mrz).metadata();
  const mrzTop = Math.round(page.height * (1 - page.mrzHeight) + (page.height * page.mrzHeight - (mrzMeta.height ?? 0)) / 2);
  return sharp(Buffer.from(backgroundSvg(spec, page, fieldsLeft)))
    .composite([
      { input: portrait, left: portraitLeft, top: portraitTop },
      { input: mrz, left: Math.round((page.width - (mrzMeta.width ?? mrzWidth)) / 2), top: mrzTop },
    ])
    .jpeg({ quality: 88 })
    .toBuffer();
}
