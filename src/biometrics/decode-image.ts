import sharp from 'sharp';

export interface DecodedImage {
  data: Uint8Array;
  width: number;
  height: number;
  /** Factor from decoded pixels back to original (EXIF-rotated) pixels. */
  scale: number;
}

/** Longest side fed to the detector; larger uploads are downscaled first. */
export const MAX_DECODE_SIDE = 1280;

/**
 * Decodes JPEG/PNG/WebP to packed RGB, applying EXIF orientation and downscaling very large
 * images. Returns null for bytes that are not a decodable image (an outcome, not a crash).
 */
export async function decodeImage(bytes: Uint8Array): Promise<DecodedImage | null> {
  try {
    const rotated = sharp(bytes, { failOn: 'error', limitInputPixels: 100_000_000 }).rotate();
    const meta = await sharp(bytes).metadata();
    const swap = (meta.orientation ?? 1) >= 5;
    const originalWidth = (swap ? meta.height : meta.width) ?? 0;
    const originalHeight = (swap ? meta.width : meta.height) ?? 0;
    const { data, info } = await rotated
      .resize({ width: MAX_DECODE_SIDE, height: MAX_DECODE_SIDE, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const scale = originalWidth > 0 ? originalWidth / info.width : 1;
    if (info.channels !== 3 || originalHeight === 0) return null;
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, scale };
  } catch {
    return null;
  }
}
