// Dominant edge direction of a photo, modulo 90°: how far the document is rotated from upright.
import type { RawImage } from './image-measures.ts';
import { toGrey } from './image-measures.ts';

/**
 * Calls `visit` with the Sobel gradient (gx, gy) and its squared magnitude at every inner pixel
 * whose edge is strong enough to vote on a direction.
 */
export function forEachStrongEdge(image: RawImage, visit: (gx: number, gy: number, weight: number) => void): void {
  const grey = toGrey(image);
  const { width, height } = image;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const gx = grey[i - width + 1]! + 2 * grey[i + 1]! + grey[i + width + 1]! - grey[i - width - 1]! - 2 * grey[i - 1]! - grey[i + width - 1]!;
      const gy = grey[i + width - 1]! + 2 * grey[i + width]! + grey[i + width + 1]! - grey[i - width - 1]! - 2 * grey[i - width]! - grey[i - width + 1]!;
      const weight = gx * gx + gy * gy;
      if (weight >= 10_000) visit(gx, gy, weight);
    }
  }
}

/**
 * Skew in degrees in (-45, 45]: rotate the image by the negative of it to square it up. Edge
 * orientations are averaged on the 4θ circle, so horizontal and vertical edges (text, card
 * borders, barcode bars) all vote for the same skew.
 */
export function estimateSkew(image: RawImage): number {
  let sumCos = 0;
  let sumSin = 0;
  forEachStrongEdge(image, (gx, gy, weight) => {
    const theta = Math.atan2(gy, gx);
    sumCos += weight * Math.cos(4 * theta);
    sumSin += weight * Math.sin(4 * theta);
  });
  if (sumCos === 0 && sumSin === 0) return 0;
  return (Math.atan2(sumSin, sumCos) / 4) * (180 / Math.PI);
}
