import type { FaceAnalysis, FaceBox, FaceImageKind, FaceReason } from './face-analysis.ts';
import type { FaceMeasurements } from './face-measurements.ts';
import { retryableReasons } from './face-reasons.ts';

/** One detection as the engine reports it, already mapped to original-image pixels. */
export interface FaceDetection {
  box: FaceBox;
  score: number;
  embedding: number[] | null;
  /** Pose, eye state and passive scores; null when the engine did not measure them. */
  measurements?: FaceMeasurements | null;
}

/** Below this width (original pixels) a face carries too little detail to compare. */
export const MIN_FACE_WIDTH = 40;

/** The face verid judges when there are several: the largest box. */
export function largestFace<T extends { box: FaceBox }>(detections: readonly T[]): T | undefined {
  return [...detections].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];
}

/** Turns raw detections into the analysis the domain sees: largest face wins. Quality is added by the caller. */
export function chooseFace(detections: readonly FaceDetection[], kind: FaceImageKind): FaceAnalysis {
  const reasons: FaceReason[] = [];
  const largest = largestFace(detections);
  if (!largest || !largest.embedding) {
    return {
      faceCount: detections.length,
      box: largest?.box ?? null,
      detectionScore: largest?.score ?? null,
      embedding: null,
      quality: [],
      reasons: ['face_not_found'],
      retryable: true,
    };
  }
  if (kind === 'selfie' && detections.length > 1) reasons.push('multiple_faces');
  const tooSmall = largest.box.width < MIN_FACE_WIDTH;
  if (tooSmall) reasons.push('face_too_small');
  return {
    faceCount: detections.length,
    box: largest.box,
    detectionScore: largest.score,
    embedding: tooSmall ? null : largest.embedding,
    quality: [],
    reasons,
    retryable: retryableReasons(reasons),
  };
}
