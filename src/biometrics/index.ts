export type { FaceAnalysis, FaceBox, FaceImageKind, FaceMatcher, FaceReason } from './face-analysis.ts';
export { createFaceMatcher } from './face-matcher.ts';
export type { FaceMatcherOptions } from './face-matcher.ts';
export { faceSimilarity } from './face-similarity.ts';
export { DEFAULT_FACE_MATCH_THRESHOLD } from './default-threshold.ts';
