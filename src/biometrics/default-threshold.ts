/**
 * faceSimilarity at or above which two templates are taken as the same person. Calibrated with
 * bench/eval-faces.ts for FAR <= 0.1% on the fixture set; valid only for the embedding model it
 * was measured with (see docs/face-matching.md). Re-measure whenever the model changes.
 */
export const DEFAULT_FACE_MATCH_THRESHOLD = 0.928;
