export { decide } from './decision-policy.ts';
export type { Decision, DocumentOutcome, FaceOutcome } from './decision-policy.ts';
export type { DocumentEngine, DocumentReading, FaceAnalysis, FaceEngine } from './engine-ports.ts';
export { properCase, toIdentityClaims } from './identity-claims.ts';
export { sniffImageType } from './image-format.ts';
export type {
  DocumentRecord, IdentityClaims, IdentityStore, NewSession, OutboxMessage, SessionEvent, SessionPatch, SessionStore,
} from './ports.ts';
export { REASON_MESSAGES, reasonMessage } from './reason-codes.ts';
export { emptyScores, overallOf } from './scores.ts';
export type { CheckStatus, Overall, ScoreItem, Scores } from './scores.ts';
export type { DocumentData, Environment, ImageKind, SessionMode, SessionOrigin, VerificationSession } from './session.ts';
export { SESSION_STATES, canTransition, isDecided, isOpen } from './session-state.ts';
export type { SessionState } from './session-state.ts';
export { VerificationService } from './verification-service.ts';
export type { StartInput, VerificationServiceOptions } from './verification-service.ts';
