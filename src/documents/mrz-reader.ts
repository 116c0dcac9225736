// Reads the MRZ of a document image: OCR over a few image variants until the check digits pass.
import sharp from 'sharp';
import { ocrLineText } from './ctc-scores.ts';
import type { OcrLine } from './ctc-scores.ts';
import { isStructurallyValid, passedChecks, readMrzText } from './read-mrz-text.ts';
import type { MrzTextReading } from './read-mrz-text.ts';

/**
 * Text lines of an image in reading order (the OCR engine is an adapter, injected); lines with the
 * recogniser's CTC scores let the MRZ be decoded under its grammar.
 */
export type RecognizeText = (image: Buffer) => Promise<ReadonlyArray<string | OcrLine>>;

/** `printedText`: every text line of the whole page, for the cross-checks against the printed zone. */
export type MrzImageOutcome =
  | { kind: 'read'; reading: MrzTextReading; variant: string; printedText: string[] }
  | { kind: 'mrz_not_found'; printedText: string[] }
  | { kind: 'image_unreadable' };

const MAX_WIDTH = 1600;
/**
 * Pixels of a whole-page pass. The text detector's working memory grows with the area (≈ 180 bytes
 * a pixel: +470 MB for a 1 600 × 1 600 page, docs/performance.md), and the width cap alone lets a
 * square or portrait photo reach 1 600 × 2 000. 1 600 × 1 200 keeps every landscape photo (4:3 or
 * wider) at its width cap: only taller pages are scaled down further.
 */
const MAX_PAGE_PIXELS = 1600 * 1200;
const MIN_CROP_WIDTH = 1200;
/** The MRZ sits in the bottom third of every ICAO layout; 40% leaves room for a loose crop. */
const MRZ_BAND = 0.4;
const MAX_NAME_PASSES = 1;

interface Variant { name: string; make: (image: Buffer, width: number, height: number) => Promise<Buffer> }

const bottomBand = (image: Buffer, width: number, height: number) => {
  const top = Math.floor(height * (1 - MRZ_BAND));
  return sharp(image).extract({ left: 0, top, width, height: height - top })
    .resize({ width: Math.min(Math.max(width, MIN_CROP_WIDTH), MAX_WIDTH) });
};

/** Width of a whole-page pass over a width × height page: at most MAX_WIDTH and MAX_PAGE_PIXELS. */
function wholePageWidth(width: number, height: number): number {
  if (!(width > 0 && height > 0)) return MAX_WIDTH;
  return Math.min(width, MAX_WIDTH, Math.round(width * Math.sqrt(MAX_PAGE_PIXELS / (width * height))));
}

const VARIANTS: readonly Variant[] = [
  { name: 'full', make: (image, width, height) => sharp(image).resize({ width: wholePageWidth(width, height), withoutEnlargement: true }).jpeg().toBuffer() },
  { name: 'band', make: (image, width, height) => bottomBand(image, width, height).jpeg().toBuffer() },
  { name: 'band-contrast', make: (image, width, height) => bottomBand(image, width, height).grayscale().normalise().sharpen().jpeg().toBuffer() },
  // Only worth a pass when nothing MRZ-like was seen the right way up.
  { name: 'upside-down', make: (image, width, height) => turned(image, 180, width, height) },
  // Only when, besides, the photo is taller than wide: data pages and cards are wider than tall, so
  // the card may lie a quarter turn off (PaddleOCR reads sideways words, so text alone cannot say).
  { name: 'quarter-left', make: (image, width, height) => turned(image, 270, height, width) },
  { name: 'quarter-right', make: (image, width, height) => turned(image, 90, height, width) },
];

/** The page turned by `degrees`; `width` × `height` are the turned page's. */
const turned = (image: Buffer, degrees: number, width: number, height: number) =>
  sharp(image).rotate(degrees).resize({ width: wholePageWidth(width, height), withoutEnlargement: true }).jpeg().toBuffer();

/** Ranks readings: structure first (check digits, field syntax), then names confirmed by the visual zone. */
function rank(reading: MrzTextReading): number {
  return (passedChecks(reading.checks) - reading.invalidFields.length) * 1000 + reading.nameSupport;
}

/** Text lines of the whole page, without looking for an MRZ (licence fronts). */
export async function readPrintedText(image: Buffer, recognize: RecognizeText): Promise<string[]> {
  const { width = 0, height = 0 } = await sharp(image).metadata();
  return (await recognize(await VARIANTS[0]!.make(image, width, height))).map(ocrLineText);
}

/**
 * `otherSideText`: text printed on the other side of the document (a TD1 card prints the number and
 * names on the front, the MRZ on the back), more evidence for the fields without check digits.
 */
export async function readMrzFromImage(
  front: Uint8Array, recognize: RecognizeText, now: Date, otherSideText: readonly string[] = [],
): Promise<MrzImageOutcome> {
  let upright: Buffer;
  let width: number;
  let height: number;
  try {
    const { data, info } = await sharp(front).rotate().jpeg({ quality: 95 }).toBuffer({ resolveWithObject: true });
    [upright, width, height] = [data, info.width, info.height];
  } catch {
    return { kind: 'image_unreadable' };
  }
  let best: { reading: MrzTextReading; variant: string } | null = null;
  let visualText: string[] = [];
  let namePassesLeft: number | null = null;
  for (const variant of VARIANTS) {
    if (variant.name === 'upside-down' && best) break;
    if (variant.name.startsWith('quarter') && (best || height <= width)) break;
    if (namePassesLeft !== null && namePassesLeft-- <= 0) break;
    const lines = await recognize(await variant.make(upright, width, height));
    if (variant.name === 'full') visualText = lines.map(ocrLineText);
    const reading = readMrzText(lines, now, [...visualText, ...otherSideText]);
    if (!reading) continue;
    const valid = isStructurallyValid(reading);
    if (valid && reading.nameConfirmed !== false) return { kind: 'read', reading, variant: variant.name, printedText: visualText };
    if (!best || rank(reading) > rank(best.reading)) best = { reading, variant: variant.name };
    // A valid MRZ whose name the printed zone does not confirm (non-Latin or absent visual names
    // are common) earns one more pass, not all of them.
    if (valid && namePassesLeft === null) namePassesLeft = MAX_NAME_PASSES;
  }
  return best ? { kind: 'read', ...best, printedText: visualText } : { kind: 'mrz_not_found', printedText: visualText };
}
