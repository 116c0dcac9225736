/** Packed 8-bit RGB pixels, row by row. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Maps a point of the chip to the image: x' = a·x − b·y + tx, y' = b·x + a·y + ty (rotation, scale, shift). */
export interface SimilarityTransform {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/**
 * Where the five alignment landmarks sit in a face chip (0..1 of the unpadded chip): the mean
 * face of dlib's `get_face_chip_details` for its 5-point shape model, which the face
 * recognition network face-api ports was trained on. Order: the eye on the image's right
 * (outer corner, inner corner), the eye on the image's left (outer, inner), the base of the nose.
 */
const MEAN_FACE: readonly Point[] = [
  { x: 0.8595674595992, y: 0.2134981538014 },
  { x: 0.6460604764104, y: 0.2289674387677 },
  { x: 0.1205750620789, y: 0.2137274526848 },
  { x: 0.3340850613712, y: 0.2290642403242 },
  { x: 0.4901123135679, y: 0.6277975316475 },
];

/**
 * The same five landmarks in Human's 468-point face mesh (MediaPipe numbering): the person's
 * left eye outer and inner corner (image right), right eye outer and inner corner, subnasale.
 */
export const MESH_ALIGNMENT_POINTS = [263, 362, 33, 133, 2] as const;

/** Chip side and padding the descriptor network expects (dlib: 150 px, padding 0.25). */
export const CHIP_SIZE = 150;
export const CHIP_PADDING = 0.25;

/** Least-squares similarity transform taking each `from[i]` to `to[i]` (Umeyama, no reflection). */
export function similarityTransform(from: readonly Point[], to: readonly Point[]): SimilarityTransform {
  const n = from.length;
  if (n < 2 || to.length !== n) throw new RangeError('need at least two point pairs of equal count');
  const mean = (points: readonly Point[]): Point => ({
    x: points.reduce((s, p) => s + p.x, 0) / n,
    y: points.reduce((s, p) => s + p.y, 0) / n,
  });
  const mf = mean(from);
  const mt = mean(to);
  let norm = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    const ux = from[i]!.x - mf.x;
    const uy = from[i]!.y - mf.y;
    const vx = to[i]!.x - mt.x;
    const vy = to[i]!.y - mt.y;
    norm += ux * ux + uy * uy;
    a += ux * vx + uy * vy;
    b += ux * vy - uy * vx;
  }
  if (norm === 0) throw new RangeError('alignment points coincide');
  a /= norm;
  b /= norm;
  return { a, b, tx: mt.x - (a * mf.x - b * mf.y), ty: mt.y - (b * mf.x + a * mf.y) };
}

/** Chip-to-image transform for five landmarks (MEAN_FACE order) found in the image. */
export function chipTransform(landmarks: readonly Point[], size = CHIP_SIZE, padding = CHIP_PADDING): SimilarityTransform {
  const chip = MEAN_FACE.map((p) => ({
    x: ((padding + p.x) / (2 * padding + 1)) * size,
    y: ((padding + p.y) / (2 * padding + 1)) * size,
  }));
  return similarityTransform(chip, landmarks);
}

/**
 * Samples a `size`×`size` RGB chip (float 0..255, HWC) through `transform`, bilinear, edge
 * pixels repeated outside the image. `mirror` flips the chip left-right.
 */
export function sampleChip(image: RgbImage, transform: SimilarityTransform, size = CHIP_SIZE, mirror = false): Float32Array {
  const { data, width, height } = image;
  const { a, b, tx, ty } = transform;
  const out = new Float32Array(size * size * 3);
  const clampX = (x: number): number => (x < 0 ? 0 : x >= width ? width - 1 : x);
  const clampY = (y: number): number => (y < 0 ? 0 : y >= height ? height - 1 : y);
  for (let cy = 0; cy < size; cy++) {
    for (let col = 0; col < size; col++) {
      const cx = mirror ? size - 1 - col : col;
      const x = a * cx - b * cy + tx;
      const y = b * cx + a * cy + ty;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      const left = clampX(x0);
      const right = clampX(x0 + 1);
      const top = clampY(y0) * width;
      const bottom = clampY(y0 + 1) * width;
      const o = (cy * size + col) * 3;
      for (let c = 0; c < 3; c++) {
        const upper = (1 - fx) * data[(top + left) * 3 + c]! + fx * data[(top + right) * 3 + c]!;
        const lower = (1 - fx) * data[(bottom + left) * 3 + c]! + fx * data[(bottom + right) * 3 + c]!;
        out[o + c] = (1 - fy) * upper + fy * lower;
      }
    }
  }
  return out;
}

/** The five alignment landmarks of a Human face mesh ([x, y, z] in image pixels), or null if the mesh is incomplete. */
export function alignmentLandmarks(mesh: readonly (readonly (number | undefined)[])[]): Point[] | null {
  if (mesh.length < 468) return null;
  const points = MESH_ALIGNMENT_POINTS.map((i) => ({ x: mesh[i]![0]!, y: mesh[i]![1]! }));
  return points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y)) ? points : null;
}
