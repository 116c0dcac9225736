export { HOSTED_CONSENT_VERSION, HOSTED_ONBOARDING_CONSENT_VERSION } from './consent.ts';
export { decide } from './decision-policy.ts';
export type { Decision, DecisionInput, DocumentOutcome, DuplicateOutcome, FaceOutcome, LivenessOutcome } from './decision-policy.ts';
export type {
  ChallengeStep, ChallengeVerdict, DocumentEngine, DocumentReading, FaceAnalysis, FaceEngine, FaceSearch, LivenessEngine,
} from './engine-ports.ts';
export { properCase, toIdentityClaims } from './identity-claims.ts';
export { sniffImageType } from './image-format.ts';
export { MAX_CHUNK_FRAMES, MAX_FRAME_BYTES, STEP_DEADLINE_MS, STEP_MIN_MS } from './liveness-challenge.ts';
export type { FrameChunk, IssuedChallenge, RevealedStep, StepResult } from './liveness-challenge.ts';
export type {
  ChallengeLimits, ChallengeStore, DocumentRecord, IdentityClaims, IdentityStore, LivenessChallenge, NewSession, OutboxMessage, RetentionStore, SessionCursor, SessionFilter, SessionPatch, SessionStore,
} from './ports.ts';
export { CLIENT_EVENT_TYPES, isPublicEvent, PUBLIC_EVENT_TYPES, WEBHOOK_EVENT_TYPES } from './session-events.ts';
export type { ClientEventType, PublicEventPayload, PublicEventType, SessionEvent, SessionEventType, WebhookEventType } from './session-events.ts';
export type { ProcessIdResult } from './process-document.ts';
export { documentKeyPurpose, documentLookupValue } from './process-face.ts';
export type { ProcessFaceResult } from './process-face.ts';
export { contentDigests } from './content-digest.ts';
export { REASON_MESSAGES, reasonMessage } from './reason-codes.ts';
export { emptyScores, overallOf } from './scores.ts';
export { reasonsForCaptureClient, scoresForCaptureClient } from './capture-view.ts';
export type { CheckStatus, Overall, ScoreItem, Scores } from './scores.ts';
export { LANGUAGES } from './session.ts';
export type { Candidate, DocumentData, Environment, ImageKind, Language, Notification, SessionMode, SessionOrigin, VerificationSession } from './session.ts';
export { OPEN_STATES, SESSION_STATES, canTransition, isCapturing, isDecided, isOpen, isVerified } from './session-state.ts';
export type { SessionState } from './session-state.ts';
export { transitionGate } from './session-lifecycle.ts';
export type { StartInput } from './session-lifecycle.ts';
export type { VerificationDeps } from './verification-deps.ts';
export { VerificationService } from './verification-service.ts';
export { onboardingStatusOf } from './onboarding-status.ts';
export { LINK_DELIVERY_JOB, isDeliveryChannel, linkDeliveryKey, recordAttempt } from './link-delivery.ts';
export type { AttemptOutcome, DeliveryChannel, LinkDelivery, LinkDeliveryStatus } from './link-delivery.ts';
export type { OnboardingStatus } from './onboarding-status.ts';
export { DEFAULT_FLOW, TEST_DOCUMENT_COUNTRY, parseFlows } from './flows.ts';
export type { Flow } from './flows.ts';
