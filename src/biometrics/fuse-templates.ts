/**
 * One template from two embeddings of the same face, so that the plain cosine of two fused
 * templates is a fixed weighted sum of the two models' cosines:
 *   faceSimilarity(fuse(a1, b1), fuse(a2, b2)) = FACERES_WEIGHT * cos(a1, a2) + FACE_API_WEIGHT * cos(b1, b2)
 * The weights equalise the spread of each model's impostor cosines (faceres ~0.10, face-api
 * ~0.015) and then average them, i.e. z-score fusion: measured in docs/face-matching.md.
 */
export const FACERES_WEIGHT = 5 / (5 + 100 / 3);
export const FACE_API_WEIGHT = 1 - FACERES_WEIGHT;

function scaledUnit(vector: readonly number[], weight: number): number[] {
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
  const factor = norm === 0 ? 0 : Math.sqrt(weight) / norm;
  return vector.map((x) => x * factor);
}

export function fuseTemplates(faceres: readonly number[], faceApi: readonly number[]): number[] {
  return [...scaledUnit(faceres, FACERES_WEIGHT), ...scaledUnit(faceApi, FACE_API_WEIGHT)];
}
