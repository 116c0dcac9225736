import sharp from 'sharp';
import type { DecodedImage } from './decode-image.ts';
import type { FaceBox } from './face-analysis.ts';
import { lumaStats } from './luma-stats.ts';

/** Face crops are resampled to this square before measuring, so sharpness is comparable across sizes. */
export const STATS_SIDE = 112;

/**
 * Brightness and sharpness of the inner face: the central 70% of the detector box (skin, eyes,
 * nose, mouth; little hair or background). `box` is in original-image pixels.
 */
export async function faceRegionStats(image: DecodedImage, box: FaceBox): Promise<{ brightness: number; sharpness: number }> {
  const inset = 0.15;
  const left = Math.max(0, Math.floor((box.x - (image.offset?.x ?? 0) + box.width * inset) / image.scale));
  const top = Math.max(0, Math.floor((box.y - (image.offset?.y ?? 0) + box.height * inset) / image.scale));
  const width = Math.min(image.width - left, Math.ceil((box.width * (1 - 2 * inset)) / image.scale));
  const height = Math.min(image.height - top, Math.ceil((box.height * (1 - 2 * inset)) / image.scale));
  if (width < 3 || height < 3) return { brightness: 0, sharpness: 0 };
  const { data } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .extract({ left, top, width, height })
    .greyscale()
    .resize(STATS_SIDE, STATS_SIDE, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return lumaStats(new Uint8Array(data.buffer, data.byteOffset, STATS_SIDE * STATS_SIDE), STATS_SIDE, STATS_SIDE);
}
