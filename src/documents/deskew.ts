// Squares up a photographed document before OCR or barcode decoding (runs in the document worker).
import sharp from 'sharp';
import { estimateSkew } from './skew-angle.ts';

const SKEW_WIDTH = 500;

/** Skew of an encoded photo in degrees, in (-45, 45]: rotate by its negative to square it up. */
export async function measureSkew(image: Buffer): Promise<number> {
  const { data, info } = await sharp(image).resize({ width: SKEW_WIDTH }).grayscale().raw().toBuffer({ resolveWithObject: true });
  return estimateSkew({ data, width: info.width, height: info.height, channels: info.channels });
}

/** The photo rotated back by its skew when that exceeds `minDegrees`, else the photo unchanged. */
export async function deskew(image: Buffer, minDegrees: number): Promise<{ image: Buffer; skew: number }> {
  const skew = await measureSkew(image);
  if (Math.abs(skew) < minDegrees) return { image, skew };
  const rotated = await sharp(image).rotate(-skew, { background: '#ffffff' }).jpeg({ quality: 95 }).toBuffer();
  return { image: rotated, skew };
}
