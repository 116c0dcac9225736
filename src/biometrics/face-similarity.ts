/**
 * Similarity of two face templates from the same embedding model: cosine similarity clamped
 * to 0..1 (higher = same person). Scale-invariant, so templates need not be normalised.
 * Returns 0 for empty, mismatched or all-zero templates rather than throwing: a missing face is
 * an outcome, not an error.
 */
export function faceSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || a.length !== b.length) return 0;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) return 0;
  const cosine = dot / Math.sqrt(normA * normB);
  return Math.min(1, Math.max(0, cosine));
}
