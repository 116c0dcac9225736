// Pixel measures behind the capture-quality gates. Pure: decoded pixels in, numbers out.

/** Interleaved 8-bit pixels as sharp's `.raw()` returns them (1 = grey, 3 = RGB, 4 = RGBA). */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

export interface Box { left: number; top: number; width: number; height: number }

/** Gradient magnitude above which a pixel counts as an edge (Sobel on 0–255 grey). */
const EDGE_THRESHOLD = 80;
/** Edge pixels outside these percentiles are ignored when framing the document (stray noise). */
const FRAME_PERCENTILE = 0.01;
const GLARE_BLOCK = 16;
const CLIPPED = 250;

export function toGrey(image: RawImage): Uint8Array {
  if (image.channels === 1) return image.data;
  const grey = new Uint8Array(image.width * image.height);
  for (let index = 0, offset = 0; index < grey.length; index++, offset += image.channels) {
    grey[index] = (image.data[offset]! * 77 + image.data[offset + 1]! * 150 + image.data[offset + 2]! * 29) >> 8;
  }
  return grey;
}

/** Sobel gradient magnitude per pixel (borders 0). */
export function gradientMagnitude(grey: Uint8Array, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const a = grey[i - width - 1]!, b = grey[i - width]!, c = grey[i - width + 1]!;
      const d = grey[i - 1]!, f = grey[i + 1]!;
      const g = grey[i + width - 1]!, h = grey[i + width]!, k = grey[i + width + 1]!;
      const gx = c + 2 * f + k - a - 2 * d - g;
      const gy = g + 2 * h + k - a - 2 * b - c;
      out[i] = Math.sqrt(gx * gx + gy * gy) / 4;
    }
  }
  return out;
}

/** Fraction of pixels that are edges: near 0 for a blank or featureless photo. */
export function edgeDensity(magnitude: Float32Array): number {
  let edges = 0;
  for (const value of magnitude) if (value > EDGE_THRESHOLD / 4) edges++;
  return edges / magnitude.length;
}

/** Bounding box of the edges (the printed content of the document), trimmed of stray outliers. */
export function contentBox(magnitude: Float32Array, width: number, height: number): Box | null {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (magnitude[y * width + x]! > EDGE_THRESHOLD / 4) { xs.push(x); ys.push(y); }
    }
  }
  if (xs.length < 50) return null;
  xs.sort((a, b) => a - b);
  ys.sort((a, b) => a - b);
  const at = (values: number[], fraction: number) => values[Math.floor((values.length - 1) * fraction)]!;
  const left = at(xs, FRAME_PERCENTILE), right = at(xs, 1 - FRAME_PERCENTILE);
  const top = at(ys, FRAME_PERCENTILE), bottom = at(ys, 1 - FRAME_PERCENTILE);
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/**
 * Sharpness: mean squared Laplacian over edge pixels of the box, divided by their mean squared
 * gradient. Dividing out contrast keeps a dim but sharp photo sharp; blur flattens the Laplacian
 * (second derivative) much faster than the gradient.
 */
export function sharpness(grey: Uint8Array, magnitude: Float32Array, width: number, box: Box): number {
  let laplacianEnergy = 0;
  let gradientEnergy = 0;
  const bottom = Math.min(box.top + box.height, magnitude.length / width - 1);
  const right = Math.min(box.left + box.width, width - 1);
  for (let y = Math.max(1, box.top); y < bottom; y++) {
    for (let x = Math.max(1, box.left); x < right; x++) {
      const i = y * width + x;
      const m = magnitude[i]!;
      if (m <= EDGE_THRESHOLD / 8) continue;
      const laplacian = grey[i - 1]! + grey[i + 1]! + grey[i - width]! + grey[i + width]! - 4 * grey[i]!;
      laplacianEnergy += laplacian * laplacian;
      gradientEnergy += m * m;
    }
  }
  return gradientEnergy === 0 ? 0 : laplacianEnergy / gradientEnergy;
}

/** Fraction of the box covered by blown-out blocks (every channel clipped, no texture). */
export function glareFraction(image: RawImage, box: Box): number {
  const { data, width, channels } = image;
  let blocks = 0;
  let clippedBlocks = 0;
  for (let by = box.top; by + GLARE_BLOCK <= box.top + box.height; by += GLARE_BLOCK) {
    for (let bx = box.left; bx + GLARE_BLOCK <= box.left + box.width; bx += GLARE_BLOCK) {
      blocks++;
      let clipped = 0;
      for (let y = by; y < by + GLARE_BLOCK; y++) {
        for (let x = bx; x < bx + GLARE_BLOCK; x++) {
          const offset = (y * width + x) * channels;
          let min = 255;
          for (let channel = 0; channel < Math.min(channels, 3); channel++) min = Math.min(min, data[offset + channel]!);
          if (min >= CLIPPED) clipped++;
        }
      }
      if (clipped >= GLARE_BLOCK * GLARE_BLOCK * 0.9) clippedBlocks++;
    }
  }
  return blocks === 0 ? 0 : clippedBlocks / blocks;
}

/**
 * Per image side, the fraction of the outermost strip (2% deep) with edges running into the
 * border: printed content that continues past the frame.
 */
export function borderContact(magnitude: Float32Array, width: number, height: number): { top: number; bottom: number; left: number; right: number } {
  const depthY = Math.max(2, Math.round(height * 0.02));
  const depthX = Math.max(2, Math.round(width * 0.02));
  const isEdge = (x: number, y: number) => magnitude[y * width + x]! > EDGE_THRESHOLD / 4;
  const rowContact = (from: number, to: number) => {
    let hits = 0;
    for (let x = 1; x < width - 1; x++) {
      for (let y = from; y < to; y++) if (isEdge(x, y)) { hits++; break; }
    }
    return hits / Math.max(1, width - 2);
  };
  const columnContact = (from: number, to: number) => {
    let hits = 0;
    for (let y = 1; y < height - 1; y++) {
      for (let x = from; x < to; x++) if (isEdge(x, y)) { hits++; break; }
    }
    return hits / Math.max(1, height - 2);
  };
  return {
    top: rowContact(1, depthY),
    bottom: rowContact(height - depthY, height - 1),
    left: columnContact(1, depthX),
    right: columnContact(width - depthX, width - 1),
  };
}
