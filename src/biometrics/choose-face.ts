import type { FaceAnalysis, FaceBox, FaceImageKind, FaceReason } from './face-analysis.ts';

/** One detection as the engine reports it, already mapped to original-image pixels. */
export interface FaceDetection {
  box: FaceBox;
  score: number;
  embedding: number[] | null;
}

/** Below this width (original pixels) a face carries too little detail to compare. */
export const MIN_FACE_WIDTH = 40;

/** Turns raw detections into the analysis the domain sees: largest face wins. */
export function chooseFace(detections: readonly FaceDetection[], kind: FaceImageKind): FaceAnalysis {
  const reasons: FaceReason[] = [];
  const largest = [...detections].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];
  if (!largest || !largest.embedding) {
    return { faceCount: detections.length, box: largest?.box ?? null, detectionScore: largest?.score ?? null, embedding: null, reasons: ['face_not_found'] };
  }
  if (kind === 'selfie' && detections.length > 1) reasons.push('multiple_faces');
  const tooSmall = largest.box.width < MIN_FACE_WIDTH;
  if (tooSmall) reasons.push('face_too_small');
  return {
    faceCount: detections.length,
    box: largest.box,
    detectionScore: largest.score,
    embedding: tooSmall ? null : largest.embedding,
    reasons,
  };
}
