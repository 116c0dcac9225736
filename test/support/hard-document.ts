// The hard synthetic set (bench:eval-documents --set hard): passports and TD1 ID cards in country
// layouts that differ in palette, field order, labels, printed date format and portrait side,
// MRZs set in fonts other than OCR-B where installed, TD1 cards with the names on the front and the
// MRZ on the back, and one of the photo failures a real capture has. Imitations of layouts, never
// genuine documents. The unit tests keep the easy set (synthetic-document.ts).
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import { buildTd1, buildTd3 } from '../../src/documents/mrz-builder.ts';
import type { SyntheticDocumentSpec } from './synthetic-document.ts';
import * as degrade from './degrade.ts';

interface CountryLayout {
  title: string;
  labels: [surname: string, given: string, birth: string, expiry: string, number: string];
  ink: string;
  paper: [string, string];
  date: (iso: string) => string;
  portraitRight: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const dotted = (iso: string) => iso.split('-').reverse().join('.');
const spelled = (iso: string) => `${iso.slice(8)} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;
const slashed = (iso: string) => iso.split('-').reverse().join('/');

const LAYOUTS: Readonly<Record<string, CountryLayout>> = {
  DEU: { title: 'BUNDESREPUBLIK DEUTSCHLAND', labels: ['Name / Surname', 'Vornamen / Given names', 'Geburtstag / Date of birth', 'Gültig bis / Date of expiry', 'Dokumentennummer'], ink: '#5b2d5e', paper: ['#f1e9f0', '#e8efe9'], date: dotted, portraitRight: false },
  FRA: { title: 'RÉPUBLIQUE FRANÇAISE', labels: ['Nom / Surname', 'Prénoms / Given names', 'Né(e) le / Date of birth', "Date d'expiration", 'N° du document'], ink: '#1f3f8a', paper: ['#eaf0fb', '#fbeaea'], date: dotted, portraitRight: false },
  POL: { title: 'RZECZPOSPOLITA POLSKA', labels: ['NAZWISKO / SURNAME', 'IMIONA / GIVEN NAMES', 'DATA URODZENIA', 'TERMIN WAŻNOŚCI', 'NUMER DOKUMENTU'], ink: '#8a1f2a', paper: ['#fbeff0', '#eef3f6'], date: dotted, portraitRight: true },
  CAN: { title: 'CANADA', labels: ['Surname / Nom', 'Given names / Prénoms', 'Date of birth / Date de naissance', 'Date of expiry', 'Passport No.'], ink: '#7a1010', paper: ['#f6eeee', '#eef2f6'], date: spelled, portraitRight: false },
  ESP: { title: 'REINO DE ESPAÑA', labels: ['APELLIDOS', 'NOMBRE', 'FECHA DE NACIMIENTO', 'VALIDEZ', 'NÚM SOPORT'], ink: '#6b4a10', paper: ['#fbf3e3', '#f3e9e9'], date: slashed, portraitRight: false },
  NLD: { title: 'KONINKRIJK DER NEDERLANDEN', labels: ['Naam', 'Voornamen', 'Geboortedatum', 'Geldig tot', 'Documentnummer'], ink: '#17407a', paper: ['#eef1f9', '#f9efe6'], date: spelled, portraitRight: true },
  ITA: { title: 'REPUBBLICA ITALIANA', labels: ['Cognome / Surname', 'Nome / Name', 'Data di nascita', 'Scadenza / Expiry', 'Numero'], ink: '#1d5a3a', paper: ['#ecf6ef', '#f6efe6'], date: dotted, portraitRight: false },
  SWE: { title: 'SVERIGE', labels: ['Efternamn / Surname', 'Förnamn / Given names', 'Födelsedatum', 'Giltig till', 'Nummer'], ink: '#1b4b7c', paper: ['#eef5fb', '#fbf7e6'], date: spelled, portraitRight: true },
};
export const HARD_COUNTRIES = Object.keys(LAYOUTS);

/** MRZ fonts: OCR-B (what ICAO prescribes) and the monospace fonts of this machine that are not. */
export function mrzFonts(): string[] {
  let installed = '';
  try { installed = execFileSync('fc-list', [':', 'family'], { encoding: 'utf8' }); } catch { /* no fontconfig: OCR-B only */ }
  return ['OCR B', 'DejaVu Sans Mono', 'Liberation Mono'].filter((font) => font === 'OCR B' || installed.includes(font));
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function mrzBlock(lines: string[], font: string, width: number, height: number): Promise<Buffer> {
  const fontfile = font === 'OCR B' ? { fontfile: '/usr/share/fonts/opentype/ocr-b/OCRB.otf' } : {};
  const text = await sharp({ text: { text: lines.map(escapeXml).join('\n'), font: `${font} 22`, rgba: true, dpi: 300, spacing: 18, ...fontfile } }).png().toBuffer();
  return sharp(text).resize({ width, height, fit: 'inside' }).png().toBuffer();
}

interface Side { width: number; height: number; svg: string; overlays: OverlayOptions[] }

function fieldsSvg(spec: SyntheticDocumentSpec, layout: CountryLayout, x: number, top: number, bottom: number, scale: number): string {
  const [surname, given, birth, expiry, number] = layout.labels;
  const rows: Array<[string, string]> = [[surname, spec.surname.toUpperCase()], [given, spec.givenNames.toUpperCase()],
    [birth, layout.date(spec.birthDate)], [expiry, layout.date(spec.expiryDate)], [number, spec.documentNumber.toUpperCase()]];
  const step = (bottom - top) / rows.length;
  return rows.map(([label, value], index) => `<text x="${x}" y="${top + index * step + 16 * scale}" font-family="DejaVu Sans" font-size="${14 * scale}" fill="${layout.ink}">${escapeXml(label)}</text>`
    + `<text x="${x}" y="${top + index * step + 42 * scale}" font-family="Liberation Sans, DejaVu Sans" font-weight="bold" font-size="${24 * scale}" fill="#151515">${escapeXml(value)}</text>`).join('');
}

function paperSvg(layout: CountryLayout, width: number, height: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><linearGradient id="p" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${layout.paper[0]}"/><stop offset="1" stop-color="${layout.paper[1]}"/></linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#p)"/>
  ${Array.from({ length: 9 }, (_, i) => `<path d="M0 ${height * (0.1 + i * 0.09)} Q ${width / 2} ${height * (0.02 + i * 0.09)} ${width} ${height * (0.12 + i * 0.09)}" stroke="${layout.ink}" stroke-opacity="0.12" fill="none"/>`).join('')}
  <text x="${width * 0.04}" y="${height * 0.1}" font-family="DejaVu Serif" font-weight="bold" font-size="${height * 0.05}" fill="${layout.ink}">${escapeXml(title)}</text>
  ${body}</svg>`;
}

async function render(side: Side): Promise<Buffer> {
  return sharp(Buffer.from(side.svg)).composite(side.overlays).jpeg({ quality: 90 }).toBuffer();
}

async function portraitOverlay(spec: SyntheticDocumentSpec, layout: CountryLayout, width: number, top: number, height: number): Promise<OverlayOptions> {
  const portraitWidth = Math.round(width * 0.28);
  const input = await sharp(spec.portrait).resize({ width: portraitWidth, height, fit: 'cover', position: 'attention' }).grayscale(layout.portraitRight).toBuffer();
  return { input, top, left: layout.portraitRight ? Math.round(width * 0.68) : Math.round(width * 0.04) };
}

async function mrzOverlay(lines: string[], font: string, width: number, height: number, band: number): Promise<OverlayOptions> {
  const block = await mrzBlock(lines, font, Math.round(width * 0.92), Math.round(height * band * 0.8));
  const meta = await sharp(block).metadata();
  return { input: block, left: Math.round((width - (meta.width ?? 0)) / 2), top: Math.round(height * (1 - band) + (height * band - (meta.height ?? 0)) / 2) };
}

export async function generateHardPassport(spec: SyntheticDocumentSpec, font: string): Promise<Buffer> {
  const layout = LAYOUTS[spec.issuingCountry] ?? LAYOUTS.CAN!;
  const [width, height, band] = [1250, 880, 0.2];
  const mrz = buildTd3({ ...spec, documentCode: 'P', nationality: spec.nationality ?? spec.issuingCountry });
  const fieldsX = layout.portraitRight ? width * 0.05 : width * 0.38;
  const body = `<rect y="${height * (1 - band)}" width="100%" height="${height * band}" fill="#fafaf6"/>` + fieldsSvg(spec, layout, fieldsX, height * 0.16, height * (1 - band) - 20, 1);
  return render({
    width, height, svg: paperSvg(layout, width, height, `${layout.title}  PASSPORT`, body),
    overlays: [await portraitOverlay(spec, layout, width, Math.round(height * 0.16), Math.round(height * 0.6)), await mrzOverlay(mrz, font, width, height, band)],
  });
}

/** A TD1 card: names, number and portrait on the front; the MRZ on the back. */
export async function generateHardIdCard(spec: SyntheticDocumentSpec, font: string): Promise<{ front: Buffer; back: Buffer }> {
  const layout = LAYOUTS[spec.issuingCountry] ?? LAYOUTS.CAN!;
  const [width, height, band] = [1070, 675, 0.36];
  const mrz = buildTd1({ ...spec, documentCode: 'ID', nationality: spec.nationality ?? spec.issuingCountry });
  const fieldsX = layout.portraitRight ? width * 0.05 : width * 0.36;
  const front = await render({
    width, height, svg: paperSvg(layout, width, height, layout.title, fieldsSvg(spec, layout, fieldsX, height * 0.17, height * 0.92, 0.9)),
    overlays: [await portraitOverlay(spec, layout, width, Math.round(height * 0.17), Math.round(height * 0.72))],
  });
  const backBody = `<text x="${width * 0.05}" y="${height * 0.25}" font-family="DejaVu Sans" font-size="20" fill="${layout.ink}">${escapeXml(layout.labels[2])}</text>`
    + `<text x="${width * 0.05}" y="${height * 0.33}" font-family="DejaVu Sans" font-size="20" fill="#222">${escapeXml(`${layout.title.split(' ').at(-1)} ${spec.issuingCountry}`)}</text>`
    + `<rect y="${height * (1 - band)}" width="100%" height="${height * band}" fill="#fbfbf7"/>`;
  const back = await render({ width, height, svg: paperSvg(layout, width, height, '', backBody), overlays: [await mrzOverlay(mrz, font, width, height, band)] });
  return { front, back };
}

/** The photo failure classes of the hard set, one per document (cycled), each over a mild noisy, compressed base. */
export const HARD_FAILURES: ReadonlyArray<readonly [string, (random: () => number) => degrade.Degradation]> = [
  ['smudge', (random) => degrade.smudge([[0.2 + random() * 0.6, 0.85, 0.12], [random(), 0.4 + random() * 0.3, 0.1]])],
  ['JPEG q15–25', (random) => degrade.jpeg(15 + Math.round(random() * 10))],
  ['perspective', (random) => degrade.chain(degrade.perspective(0.06 + random() * 0.05), degrade.rotate((random() < 0.5 ? -1 : 1) * (2 + random() * 4)))],
  ['low resolution ≈400 px', (random) => degrade.chain(degrade.onTable(0.03), degrade.downscale(380 + Math.round(random() * 60)))],
  ['glare on the MRZ', (random) => degrade.mrzGlare(0.25 + random() * 0.5, 0.55 + random() * 0.25)],
  ['sensor noise', (random) => degrade.chain(degrade.lowLight(0.6), degrade.sensorNoise(14 + random() * 8, Math.floor(random() * 1e6)))],
  ['rotation 90/270', (random) => degrade.quarterTurn(random() < 0.5 ? 90 : 270, (random() - 0.5) * 6)],
  ['combined', (random) => degrade.chain(degrade.rotate((random() - 0.5) * 12), degrade.sensorNoise(8, Math.floor(random() * 1e6)), degrade.downscale(700), degrade.jpeg(35))],
];
