import type { RgbImage } from './align-face.ts';

type Mesh = readonly (readonly (number | undefined)[])[];

/** Facemesh landmarks (MediaPipe numbering) the occlusion measures sample around. */
const MESH = {
  forehead: 151,
  noseBridge: 168,
  rightEye: [33, 133],
  leftEye: [263, 362],
  mouth: [13, 14],
  chin: 200,
  rightLowerCheek: 205,
  leftLowerCheek: 425,
} as const;

interface Colour {
  r: number;
  g: number;
  b: number;
}

function point(mesh: Mesh, index: number): { x: number; y: number } | null {
  const p = mesh[index];
  const x = p?.[0];
  const y = p?.[1];
  return typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y) ? { x, y } : null;
}

function midpoint(mesh: Mesh, [a, b]: readonly [number, number]): { x: number; y: number } | null {
  const p = point(mesh, a);
  const q = point(mesh, b);
  return p && q ? { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 } : null;
}

/** Mean colour of the pixels within `radius` of a point (null when the disc is off the image). */
function discMean(image: RgbImage, centre: { x: number; y: number } | null, radius: number): Colour | null {
  if (!centre) return null;
  let r = 0;
  let g = 0;
  let b = 0;
  let n = 0;
  const r2 = radius * radius;
  for (let y = Math.max(0, Math.floor(centre.y - radius)); y <= Math.min(image.height - 1, Math.ceil(centre.y + radius)); y++) {
    for (let x = Math.max(0, Math.floor(centre.x - radius)); x <= Math.min(image.width - 1, Math.ceil(centre.x + radius)); x++) {
      if ((x - centre.x) ** 2 + (y - centre.y) ** 2 > r2) continue;
      const i = (y * image.width + x) * 3;
      r += image.data[i]!;
      g += image.data[i + 1]!;
      b += image.data[i + 2]!;
      n++;
    }
  }
  return n === 0 ? null : { r: r / n, g: g / n, b: b / n };
}

function mean(colours: readonly (Colour | null)[]): Colour | null {
  const found = colours.filter((c): c is Colour => c !== null);
  if (found.length === 0) return null;
  return {
    r: found.reduce((s, c) => s + c.r, 0) / found.length,
    g: found.reduce((s, c) => s + c.g, 0) / found.length,
    b: found.reduce((s, c) => s + c.b, 0) / found.length,
  };
}

const luma = (c: Colour): number => 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;

/** Chromaticity (r, g shares of r+g+b): independent of brightness. */
function chroma(c: Colour): { r: number; g: number } {
  const sum = c.r + c.g + c.b || 1;
  return { r: c.r / sum, g: c.g / sum };
}

export interface OcclusionMeasures {
  /** Luma of both eye areas over the luma of the skin above and below them: sunglasses make it small. */
  eyeLumaRatio: number | null;
  /** Chromaticity distance of the mouth/chin area from the forehead and nose bridge: a mask makes it large. */
  lowerFaceChromaDistance: number | null;
  /** Luma of the mouth/chin area over the forehead's: a white mask makes it large. */
  lowerFaceLumaRatio: number | null;
}

/** Colour statistics of the face areas glasses and masks cover, against uncovered skin. Pure. */
export function occlusionMeasures(image: RgbImage, mesh: Mesh): OcclusionMeasures {
  const none = { eyeLumaRatio: null, lowerFaceChromaDistance: null, lowerFaceLumaRatio: null };
  if (mesh.length < 468) return none;
  const right = [point(mesh, MESH.rightEye[0]), point(mesh, MESH.rightEye[1])];
  const left = [point(mesh, MESH.leftEye[0]), point(mesh, MESH.leftEye[1])];
  if (right.some((p) => !p) || left.some((p) => !p)) return none;
  const eyeWidth = (Math.hypot(right[0]!.x - right[1]!.x, right[0]!.y - right[1]!.y) + Math.hypot(left[0]!.x - left[1]!.x, left[0]!.y - left[1]!.y)) / 2;
  const radius = Math.max(1.5, eyeWidth * 0.35);
  const eyes = mean([discMean(image, midpoint(mesh, MESH.rightEye), radius), discMean(image, midpoint(mesh, MESH.leftEye), radius)]);
  const upper = mean([discMean(image, point(mesh, MESH.forehead), radius), discMean(image, point(mesh, MESH.noseBridge), radius * 0.6)]);
  const lower = mean([
    discMean(image, midpoint(mesh, MESH.mouth), radius),
    discMean(image, point(mesh, MESH.chin), radius),
    discMean(image, point(mesh, MESH.rightLowerCheek), radius),
    discMean(image, point(mesh, MESH.leftLowerCheek), radius),
  ]);
  const skin = mean([upper, discMean(image, point(mesh, MESH.rightLowerCheek), radius), discMean(image, point(mesh, MESH.leftLowerCheek), radius)]);
  if (!eyes || !upper || !lower || !skin) return none;
  const cu = chroma(upper);
  const cl = chroma(lower);
  return {
    eyeLumaRatio: luma(eyes) / Math.max(1, luma(skin)),
    lowerFaceChromaDistance: Math.hypot(cu.r - cl.r, cu.g - cl.g),
    lowerFaceLumaRatio: luma(lower) / Math.max(1, luma(upper)),
  };
}
