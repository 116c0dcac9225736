import type { DocumentData, Environment, ImageKind, SessionMode, SessionOrigin, VerificationSession } from './session.ts';
import type { SessionState } from './session-state.ts';
import type { ScoreItem, Scores } from './scores.ts';

/** Persistence the verification module needs; implemented in src/storage. */
export interface NewSession {
  interviewId: string;
  interviewCode: string;
  tokenHash: string;
  origin: SessionOrigin;
  mode: SessionMode;
  environment: Environment;
  clientId: string | null;
  interactionUid: string | null;
  externalId: string | null;
  loginHint: string | null;
  /**
   * The person's name as the caller knows it (invitation, HR directory): the document's name must
   * match it (`nameMatch`, tolerant of middle names, diacritics, order and transliteration). PII.
   */
  expectedName?: string | null;
  /** Re-verification: the identity whose enrolled face the selfie must match. */
  identityId?: string | null;
  expiresAt: number;
}

export interface SessionEvent {
  type: string;
  /** Ids, statuses and reason codes only — never PII. */
  data: Record<string, unknown>;
}

export interface SessionPatch {
  scores?: Scores | null;
  reasons?: string[];
  identityId?: string | null;
  completedAt?: number | null;
}

export interface OutboxMessage {
  eventType: string;
  payload: Record<string, unknown>;
}

/** The processed front of the ID: extracted fields (PII, stored encrypted) and the checks that ran. */
export interface DocumentRecord {
  fields: DocumentData | null;
  mrzValid: boolean;
  /** MRZ or barcode valid; absent in records written before it existed (then mrzValid is the answer). */
  dataValid?: boolean;
  items: ScoreItem[];
  quality: ScoreItem[];
  reasons: string[];
  retryable: boolean;
}

export interface SessionStore {
  create(session: NewSession, event: SessionEvent): Promise<VerificationSession>;
  findById(interviewId: string): Promise<VerificationSession | undefined>;
  findByTokenHash(tokenHash: string): Promise<VerificationSession | undefined>;
  findByInteractionUid(uid: string): Promise<VerificationSession | undefined>;
  /**
   * Moves the session from `from` to `to` (compare-and-set on the state), applies `patch`, appends
   * the event and, when given, the outbox message — all in one transaction. False if the state changed meanwhile.
   */
  transition(interviewId: string, from: SessionState, to: SessionState, event: SessionEvent, patch?: SessionPatch, outbox?: OutboxMessage): Promise<boolean>;
  appendEvent(interviewId: string, event: SessionEvent): Promise<void>;
  replaceTokenHash(interviewId: string, tokenHash: string): Promise<void>;
  /** Counts one more processing attempt of the document or the selfie; returns the new count. */
  countAttempt(interviewId: string, kind: 'document' | 'face'): Promise<number>;
  listEvents(interviewId: string): Promise<Array<SessionEvent & { fromState: string | null; toState: string | null; createdAt: number }>>;
  saveImage(interviewId: string, kind: ImageKind, contentType: string, data: Uint8Array): Promise<void>;
  loadImage(interviewId: string, kind: ImageKind): Promise<{ contentType: string; data: Buffer } | undefined>;
  listImageKinds(interviewId: string): Promise<ImageKind[]>;
  saveDocument(interviewId: string, document: DocumentRecord): Promise<void>;
  loadDocument(interviewId: string): Promise<DocumentRecord | undefined>;
  loadExpectedName(interviewId: string): Promise<string | null>;
}

export interface IdentityClaims {
  givenName: string;
  familyName: string;
  birthdate: string | null;
  gender: 'male' | 'female' | 'other';
  document: {
    type: DocumentData['documentType'];
    issuingCountry: string;
    number: string;
    expiryDate: string | null;
  };
  /** Epoch ms of the verification these claims come from, and its session. */
  verifiedAt: number;
  interviewId: string;
  checks: Array<{ checkMethod: string; time: number }>;
}

export interface IdentityStore {
  /** Finds the identity with `lookupKey` or creates it; stores the latest claims and face template. */
  enroll(lookupKey: string, claims: IdentityClaims, faceTemplate: number[] | null): Promise<string>;
  findClaims(identityId: string): Promise<IdentityClaims | undefined>;
  findFaceTemplate(identityId: string): Promise<number[] | undefined>;
  findByLookupKey(lookupKey: string): Promise<string | undefined>;
  /** Enrolled templates changed since `since` (epoch ms), for the 1:N index. */
  listTemplates(since: number): Promise<Array<{ identityId: string; template: number[]; interviewId: string | null; updatedAt: number }>>;
}

export interface LivenessChallenge {
  challengeId: string;
  interviewId: string;
  steps: string[];
  issuedAt: number;
  expiresAt: number;
  status: 'issued' | 'passed' | 'failed' | 'superseded';
  result: { reasons: string[]; livenessScore: number | null } | null;
}

export interface ChallengeStore {
  /** Creates a challenge and supersedes the session's open ones, in one transaction. */
  issue(challenge: Omit<LivenessChallenge, 'status' | 'result'>): Promise<void>;
  find(challengeId: string): Promise<LivenessChallenge | undefined>;
  latest(interviewId: string): Promise<LivenessChallenge | undefined>;
  /** How many of the session's challenges were used (passed or failed). */
  countUsed(interviewId: string): Promise<number>;
  /** Completes an `issued` challenge (single use); false when it was already used or superseded. */
  complete(challengeId: string, status: 'passed' | 'failed', result: LivenessChallenge['result']): Promise<boolean>;
}
