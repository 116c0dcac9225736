/** A mesh point as Human reports it: [x, y, z] in image pixels. */
export type MeshPoint = readonly number[];

/**
 * Eye aspect ratio (lid gap / eye width) of the iris-refined mesh, measured on the fixture
 * videos: open eyes 0.27-0.41, the closed frame of a blink 0.06-0.12 (docs/liveness.md).
 * Openness maps CLOSED_EYE_RATIO..OPEN_EYE_RATIO linearly to 0..1.
 */
export const OPEN_EYE_RATIO = 0.3;
export const CLOSED_EYE_RATIO = 0.08;

// Facemesh indices: [upper lid, lower lid, inner corner, outer corner].
const LEFT_EYE = [386, 374, 362, 263] as const;
const RIGHT_EYE = [159, 145, 133, 33] as const;

function distance(a: MeshPoint | undefined, b: MeshPoint | undefined): number {
  if (!a || !b) return Number.NaN;
  return Math.hypot((a[0] ?? 0) - (b[0] ?? 0), (a[1] ?? 0) - (b[1] ?? 0));
}

export function eyeAspectRatio(mesh: readonly MeshPoint[], eye: readonly [number, number, number, number]): number | null {
  const gap = distance(mesh[eye[0]], mesh[eye[1]]);
  const width = distance(mesh[eye[2]], mesh[eye[3]]);
  if (!Number.isFinite(gap) || !Number.isFinite(width) || width <= 0) return null;
  return gap / width;
}

function openness(ratio: number | null): number | null {
  if (ratio === null) return null;
  return Math.min(1, Math.max(0, (ratio - CLOSED_EYE_RATIO) / (OPEN_EYE_RATIO - CLOSED_EYE_RATIO)));
}

/** Openness 0 (closed) .. 1 (open) of the person's left and right eye; null without a full mesh. */
export function eyeOpenness(mesh: readonly MeshPoint[]): { left: number | null; right: number | null } {
  return { left: openness(eyeAspectRatio(mesh, LEFT_EYE)), right: openness(eyeAspectRatio(mesh, RIGHT_EYE)) };
}
