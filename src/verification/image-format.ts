/** Recognises the image formats verid accepts by their magic bytes (the declared type is not trusted). */
export type ImageContentType = 'image/jpeg' | 'image/png' | 'image/webp';

export function sniffImageType(data: Uint8Array): ImageContentType | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) return 'image/png';
  if (data.length >= 12 && Buffer.from(data.subarray(0, 4)).toString('latin1') === 'RIFF'
    && Buffer.from(data.subarray(8, 12)).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}
