// Pixel measures behind the capture-quality gates. Pure: decoded pixels in, numbers out.

/** Interleaved 8-bit pixels as sharp's `.raw()` returns them (1 = grey, 3 = RGB, 4 = RGBA). */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

export interface Box { left: number; top: number; width: number; height: number }

/** Gradient magnitude above which a pixel counts as an edge (Sobel on 0–255 grey), on a noiseless photo. */
const EDGE_THRESHOLD = 80;
/**
 * On a noisy photo an edge must also stand this many times above the median gradient magnitude
 * (most of a document photo is flat paper or table, so the median is the noise's): sensor noise of
 * σ ≈ 20 grey levels otherwise makes edges everywhere, and a noisy photo "runs into every border".
 * Gaussian noise passes 3 × its median magnitude at about 0.2 % of pixels.
 */
const NOISE_MULTIPLE = 3;
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

/** The magnitude above which a pixel is an edge in this photo: the fixed threshold, raised above its noise. */
export function edgeThreshold(magnitude: Float32Array): number {
  const sample = new Float32Array(Math.ceil(magnitude.length / 7));
  for (let index = 0; index < sample.length; index++) sample[index] = magnitude[index * 7]!;
  sample.sort();
  return Math.max(EDGE_THRESHOLD / 4, NOISE_MULTIPLE * sample[Math.floor(sample.length / 2)]!);
}

/** Fraction of pixels that are edges: near 0 for a blank or featureless photo. */
export function edgeDensity(magnitude: Float32Array, threshold = EDGE_THRESHOLD / 4): number {
  let edges = 0;
  for (const value of magnitude) if (value > threshold) edges++;
  return edges / magnitude.length;
}

/** Blocks in which an edge pixel counts towards the content box must hold at least this many edges. */
const CONTENT_BLOCK = 8;
const MIN_BLOCK_EDGES = 4;

/**
 * Bounding box of the edges (the printed content of the document), trimmed of stray outliers.
 * Only edges in blocks with several of them count: print is dense, the noise edges left above the
 * threshold are scattered single pixels, and spread over a photo they would stretch the box over it.
 */
export function contentBox(magnitude: Float32Array, width: number, height: number, threshold = EDGE_THRESHOLD / 4): Box | null {
  const columns = Math.ceil(width / CONTENT_BLOCK);
  const counts = new Uint16Array(columns * Math.ceil(height / CONTENT_BLOCK));
  const block = (x: number, y: number) => Math.floor(y / CONTENT_BLOCK) * columns + Math.floor(x / CONTENT_BLOCK);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) if (magnitude[y * width + x]! > threshold) counts[block(x, y)]!++;
  }
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (magnitude[y * width + x]! > threshold && counts[block(x, y)]! >= MIN_BLOCK_EDGES) { xs.push(x); ys.push(y); }
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
 * Sharpness: squared second difference over edge pixels of the box, divided by their squared
 * gradient, along x and along y separately; the lower of the two. Dividing out contrast keeps a dim
 * but sharp photo sharp; blur flattens the second derivative much faster than the first. Taking
 * each axis on its own catches motion blur, which smears one direction and leaves the other crisp
 * (a single isotropic ratio averages the two and calls the photo sharp).
 */
export function sharpness(grey: Uint8Array, magnitude: Float32Array, width: number, box: Box, threshold = EDGE_THRESHOLD / 4): number {
  const energy = { curveX: 0, slopeX: 0, curveY: 0, slopeY: 0 };
  const bottom = Math.min(box.top + box.height, magnitude.length / width - 1);
  const right = Math.min(box.left + box.width, width - 1);
  for (let y = Math.max(1, box.top); y < bottom; y++) {
    for (let x = Math.max(1, box.left); x < right; x++) {
      const i = y * width + x;
      if (magnitude[i]! <= threshold / 2) continue;
      const [left, centre, rightValue, up, down] = [grey[i - 1]!, grey[i]!, grey[i + 1]!, grey[i - width]!, grey[i + width]!];
      energy.curveX += (left + rightValue - 2 * centre) ** 2;
      energy.slopeX += (rightValue - left) ** 2;
      energy.curveY += (up + down - 2 * centre) ** 2;
      energy.slopeY += (down - up) ** 2;
    }
  }
  const ratio = (curve: number, slope: number) => (slope === 0 ? Infinity : curve / slope);
  const lower = Math.min(ratio(energy.curveX, energy.slopeX), ratio(energy.curveY, energy.slopeY));
  return Number.isFinite(lower) ? lower : 0;
}

/**
 * The box's white level: the 98th percentile of its grey values. A document is mostly light paper,
 * so an underexposed photo shows as paper that is not light, whatever the contrast of its print.
 */
export function whiteLevel(grey: Uint8Array, width: number, box: Box): number {
  const histogram = new Uint32Array(256);
  let total = 0;
  for (let y = box.top; y < box.top + box.height; y++) {
    for (let x = box.left; x < box.left + box.width; x++) { histogram[grey[y * width + x]!]!++; total++; }
  }
  let seen = 0;
  for (let value = 0; value < 256; value++) {
    seen += histogram[value]!;
    if (seen >= total * 0.98) return value;
  }
  return 255;
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
export function borderContact(magnitude: Float32Array, width: number, height: number, threshold = EDGE_THRESHOLD / 4): { top: number; bottom: number; left: number; right: number } {
  const depthY = Math.max(2, Math.round(height * 0.02));
  const depthX = Math.max(2, Math.round(width * 0.02));
  const isEdge = (x: number, y: number) => magnitude[y * width + x]! > threshold;
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
