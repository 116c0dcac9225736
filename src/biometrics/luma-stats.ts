/**
 * Brightness and sharpness of a greyscale face crop (one byte per pixel, row-major).
 * brightness: mean luma 0..255. sharpness: variance of the 4-neighbour Laplacian, which falls
 * steeply with defocus and motion blur. Pure, so the quality gates are unit-testable.
 */
export function lumaStats(grey: Uint8Array, width: number, height: number): { brightness: number; sharpness: number } {
  if (width < 3 || height < 3 || grey.length < width * height) return { brightness: 0, sharpness: 0 };
  let sum = 0;
  for (let i = 0; i < width * height; i++) sum += grey[i]!;
  let lapSum = 0;
  let lapSquares = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const lap = grey[i - 1]! + grey[i + 1]! + grey[i - width]! + grey[i + width]! - 4 * grey[i]!;
      lapSum += lap;
      lapSquares += lap * lap;
      n++;
    }
  }
  const mean = lapSum / n;
  return { brightness: sum / (width * height), sharpness: lapSquares / n - mean * mean };
}
