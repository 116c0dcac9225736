import sharp from 'sharp';

export interface DecodedImage {
  data: Uint8Array;
  width: number;
  height: number;
  /** Factor from decoded pixels back to original (EXIF-rotated) pixels. */
  scale: number;
  /** Where the decoded pixels start in the original (EXIF-rotated) image; 0, 0 unless a region was decoded. */
  offset?: { x: number; y: number };
}

export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Longest side fed to the detector; larger uploads are downscaled first. */
export const MAX_DECODE_SIDE = 1280;

/**
 * Decodes JPEG/PNG/WebP to packed RGB, applying EXIF orientation and downscaling very large
 * images. Returns null for bytes that are not a decodable image (an outcome, not a crash).
 */
export async function decodeImage(bytes: Uint8Array, options: { region?: Region; maxSide?: number } = {}): Promise<DecodedImage | null> {
  try {
    const meta = await sharp(bytes).metadata();
    const swap = (meta.orientation ?? 1) >= 5;
    const fullWidth = (swap ? meta.height : meta.width) ?? 0;
    const fullHeight = (swap ? meta.width : meta.height) ?? 0;
    const region = options.region && clampRegion(options.region, fullWidth, fullHeight);
    let rotated = sharp(bytes, { failOn: 'error', limitInputPixels: 100_000_000 }).rotate();
    if (region) rotated = rotated.extract(region);
    const originalWidth = region?.width ?? fullWidth;
    const originalHeight = region?.height ?? fullHeight;
    const maxSide = options.maxSide ?? MAX_DECODE_SIDE;
    const { data, info } = await rotated
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const scale = originalWidth > 0 ? originalWidth / info.width : 1;
    if (info.channels !== 3 || originalHeight === 0) return null;
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, scale,
      offset: { x: region?.left ?? 0, y: region?.top ?? 0 },
    };
  } catch {
    return null;
  }
}

/** The part of `region` inside a width × height image, in whole pixels (at least 1 × 1). */
function clampRegion(region: Region, width: number, height: number): Region {
  const left = Math.min(Math.max(0, Math.floor(region.left)), Math.max(0, width - 1));
  const top = Math.min(Math.max(0, Math.floor(region.top)), Math.max(0, height - 1));
  const right = Math.min(width, Math.max(left + 1, Math.ceil(region.left + region.width)));
  const bottom = Math.min(height, Math.max(top + 1, Math.ceil(region.top + region.height)));
  return { left, top, width: right - left, height: bottom - top };
}
