export type {
  FaceAnalysis,
  FaceBox,
  FaceImageKind,
  FaceMatcher,
  FaceReason,
  FrameAnalysis,
  QualityStatus,
  ScoreItem,
  SelfieQualityKey,
} from './face-analysis.ts';
export { createFaceMatcher } from './face-matcher.ts';
export type { FaceMatcherOptions } from './face-matcher.ts';
export { faceSimilarity } from './face-similarity.ts';
export { FACE_TEMPLATE_DIMENSIONS } from './face-engine.ts';
export { DEFAULT_FACE_MATCH_THRESHOLD } from './default-threshold.ts';
export { FACE_REASON_MESSAGES, isRetryableFaceReason } from './face-reasons.ts';
export { SELFIE_QUALITY_LIMITS } from './selfie-quality.ts';
export {
  CHALLENGE_STEPS, challengeCount, createChallenge, DEFAULT_CHALLENGE_LENGTH, DEFAULT_CHALLENGE_TTL_MS, isChallengeStep, isValidChallenge,
  MAX_CHALLENGE_LENGTH, MIN_CHALLENGE_LENGTH,
} from './challenge.ts';
export type { ChallengeStep } from './challenge.ts';
export { performedSteps } from './performed-steps.ts';
export type { PerformedStep } from './performed-steps.ts';
export { LIVENESS_REASON_MESSAGES } from './liveness-reasons.ts';
export {
  PASSIVE_SPOOF_THRESHOLD,
  stepsPerformedInOrder,
  TURNED_FRAME_MATCH_THRESHOLD,
  verifyChallenge,
} from './verify-challenge.ts';
export type { ChallengeFrame, ChallengeInput, ChallengeReason, ChallengeResult } from './verify-challenge.ts';
export { TemplateIndex } from './template-index.ts';
export type { TemplateMatch } from './template-index.ts';
