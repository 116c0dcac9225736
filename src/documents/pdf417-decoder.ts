// Finds and decodes the PDF417 of a licence back in a phone photo: squares up the skew, then
// tries the four right-angle orientations and a few crops. Runs in the document worker.
import { BarcodeFormat, BinaryBitmap, ChecksumException, DecodeHintType, FormatException, HybridBinarizer, PDF417Reader, RGBLuminanceSource } from '@zxing/library';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { barcodeSlant, findBarcodeRegion } from './barcode-region.ts';
import { measureSkew } from './deskew.ts';

export type Pdf417Outcome =
  | { kind: 'decoded'; text: string; attempt: string }
  /** A symbol was located but its codewords did not decode (cut off, blurred, glare). */
  | { kind: 'damaged' }
  | { kind: 'not_found' };

const WORK_WIDTH = 1400;
/** Below this the estimate is noise and re-sampling only costs sharpness. */
const MIN_SKEW = 0.7;

const hints = new Map<DecodeHintType, unknown>([
  [DecodeHintType.TRY_HARDER, true],
  [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.PDF_417]],
]);

/**
 * Width the bars are scaled to before a retry on the barcode alone: a licence's PDF417 is ~290
 * modules wide, and the decoder wants several pixels per module; a small photo has one or two.
 */
const BARCODE_WIDTH = 1600;
const MAX_UPSCALE = 4;

type Attempt = { name: string; angle: number; crop?: 'top' | 'middle' | 'bottom' | 'barcode' };

function decodeGrey(data: Buffer, width: number, height: number): Pdf417Outcome {
  const luminance = new RGBLuminanceSource(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width, height);
  try {
    const result = new PDF417Reader().decode(new BinaryBitmap(new HybridBinarizer(luminance)), hints);
    return { kind: 'decoded', text: result.getText(), attempt: '' };
  } catch (error) {
    return error instanceof ChecksumException || error instanceof FormatException ? { kind: 'damaged' } : { kind: 'not_found' };
  }
}

async function attempt(image: Sharp, step: Attempt): Promise<Pdf417Outcome> {
  let pipeline = image.clone();
  if (step.angle !== 0) pipeline = sharp(await pipeline.rotate(step.angle, { background: '#ffffff' }).png().toBuffer());
  if (step.crop === 'barcode') {
    const scaled = await barcodeCrop(pipeline);
    if (!scaled) return { kind: 'not_found' };
    pipeline = scaled;
  } else if (step.crop) {
    const { width = 0, height = 0 } = await pipeline.metadata();
    const band = Math.round(height * 0.6);
    const top = step.crop === 'top' ? 0 : step.crop === 'middle' ? Math.round(height * 0.2) : height - band;
    pipeline = pipeline.extract({ left: 0, top, width, height: band });
  }
  const { data, info } = await pipeline.grayscale().raw().toBuffer({ resolveWithObject: true });
  const outcome = decodeGrey(data, info.width, info.height);
  return outcome.kind === 'decoded' ? { ...outcome, attempt: step.name } : outcome;
}

/** The bars alone, turned upright and scaled so each module spans several pixels; null when no bars are seen. */
async function barcodeCrop(image: Sharp): Promise<Sharp | null> {
  const { data, info } = await image.clone().grayscale().raw().toBuffer({ resolveWithObject: true });
  const region = findBarcodeRegion({ data, width: info.width, height: info.height, channels: info.channels });
  if (!region) return null;
  const across = region.bars === 'vertical' ? region.box.width : region.box.height;
  const scale = Math.min(MAX_UPSCALE, BARCODE_WIDTH / across);
  let crop = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).extract(region.box);
  if (region.bars === 'horizontal') crop = sharp(await crop.rotate(90).png().toBuffer());
  const width = region.bars === 'vertical' ? region.box.width : region.box.height;
  const scaled = await crop.resize({ width: Math.round(width * scale), kernel: 'cubic' }).raw().toBuffer({ resolveWithObject: true });
  const slant = barcodeSlant({ data: scaled.data, width: scaled.info.width, height: scaled.info.height, channels: scaled.info.channels });
  const upright = sharp(scaled.data, { raw: { width: scaled.info.width, height: scaled.info.height, channels: scaled.info.channels } });
  if (Math.abs(slant.bars) < MIN_SKEW && Math.abs(slant.rows) < MIN_SKEW) return sharp(await upright.png().toBuffer());
  return sharp(await upright.affine(unshear(slant), { background: '#ffffff' }).png().toBuffer());
}

/** The affine map that takes the leaning bars to vertical and the tilted rows to horizontal. */
function unshear(slant: { bars: number; rows: number }): [number, number, number, number] {
  const [a, c] = [slant.bars, slant.rows].map((degrees) => (degrees * Math.PI) / 180) as [number, number];
  // Columns: the row direction (cos c, sin c) and the bar direction (sin a, cos a); invert.
  const [m11, m12, m21, m22] = [Math.cos(c), Math.sin(a), Math.sin(c), Math.cos(a)];
  const det = m11 * m22 - m12 * m21;
  return [m22 / det, -m12 / det, -m21 / det, m11 / det];
}

/**
 * `image` is any encoded photo sharp can read, already turned upright by its EXIF orientation.
 * `quick` only tries the squared-up photo in two orientations (a front, where a barcode is unexpected).
 */
export async function decodePdf417(image: Buffer, quick = false): Promise<Pdf417Outcome> {
  const base = sharp(await sharp(image).resize({ width: WORK_WIDTH, withoutEnlargement: true }).grayscale().png().toBuffer());
  const skew = await measureSkew(await base.clone().png().toBuffer());
  const deskew = Math.abs(skew) >= MIN_SKEW ? -skew : 0;
  // 180° is tried by the PDF417 detector itself; 90° and 270° are not.
  const steps: Attempt[] = [
    { name: 'deskewed', angle: deskew },
    { name: 'deskewed-90', angle: deskew + 90 },
    { name: 'barcode-scaled', angle: deskew, crop: 'barcode' },
    ...(deskew !== 0 ? [{ name: 'as-is', angle: 0 }] : []),
    ...(['top', 'middle', 'bottom'] as const).map((crop) => ({ name: `deskewed-${crop}`, angle: deskew, crop })),
    { name: 'deskewed-plus', angle: deskew + 1.5 },
    { name: 'deskewed-minus', angle: deskew - 1.5 },
  ];
  let damaged = false;
  for (const step of quick ? steps.slice(0, 2) : steps) {
    const outcome = await attempt(base, step);
    if (outcome.kind === 'decoded') return outcome;
    if (outcome.kind === 'damaged') damaged = true;
  }
  return damaged ? { kind: 'damaged' } : { kind: 'not_found' };
}
