import type { Candidate, DocumentData, Environment, Notification, ImageKind, Language, SessionMode, SessionOrigin, VerificationSession } from './session.ts';
import type { LinkDeliveryStatus } from './link-delivery.ts';
import type { PublicEventPayload, PublicEventType, SessionEvent } from './session-events.ts';
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
  /**
   * Consent already collected by the caller (an API client's own page, with its text version);
   * otherwise the hosted page asks for it before any capture.
   */
  consent?: { version: string; at: number } | null;
  /** Re-verification: the identity whose enrolled face the selfie must match. */
  identityId?: string | null;
  externalCustomerId?: string | null;
  configurationId?: string | null;
  redirectionUrl?: string | null;
  notification?: Notification | null;
  /** The candidate's contact for link delivery (PII: encrypted). */
  candidate?: Candidate | null;
  /** B2B: the employee verified (employees.id) and why. */
  employeeId?: string | null;
  b2bReason?: string | null;
  language?: Language | null;
  /**
   * verid sends the link (notification EMAIL / SMS): the capture token is kept encrypted for it, and
   * the delivery job is queued in the same transaction as the session — no session misses its link.
   */
  linkDelivery?: { token: string; maxAttempts: number } | null;
  expiresAt: number;
}

export interface SessionPatch {
  scores?: Scores | null;
  reasons?: string[];
  identityId?: string | null;
  completedAt?: number | null;
}

/** A public event for the webhook outbox, written in the same transaction as the state change. */
export interface OutboxMessage {
  eventType: PublicEventType;
  clientId: string | null;
  payload: PublicEventPayload;
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
  /** Undefined when the interview code is already taken (the caller draws another). */
  create(session: NewSession, event: SessionEvent): Promise<VerificationSession | undefined>;
  findById(interviewId: string): Promise<VerificationSession | undefined>;
  findByTokenHash(tokenHash: string): Promise<VerificationSession | undefined>;
  findByInteractionUid(uid: string): Promise<VerificationSession | undefined>;
  findByInterviewCode(code: string): Promise<VerificationSession | undefined>;
  /**
   * Moves the session from `from` to `to` (compare-and-set on the state), applies `patch`, appends
   * the event and, when given, the outbox message — all in one transaction. False if the state changed meanwhile.
   */
  transition(interviewId: string, from: SessionState, to: SessionState, event: SessionEvent, patch?: SessionPatch, outbox?: OutboxMessage): Promise<boolean>;
  appendEvent(interviewId: string, event: SessionEvent): Promise<void>;
  /** The session's capture token changes (or is revoked); the kept link token, if any, goes with the old one. */
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
  /** Records consent and its `consent.given` event. */
  recordConsent(interviewId: string, version: string, at: number): Promise<void>;
  /** Open sessions whose expiry has passed (for the expiry sweep), oldest first. */
  listExpiredOpen(now: number, limit: number): Promise<VerificationSession[]>;
  /** Sessions left `processing` since before `before` (their process died), oldest first. */
  listStuckProcessing(before: number, limit: number): Promise<VerificationSession[]>;
  /** A client's sessions, newest first, after `cursor` (the last row of the previous page). */
  listForClient(clientId: string, filter: SessionFilter, limit: number, cursor?: SessionCursor): Promise<VerificationSession[]>;
  /** The candidate's contact from /omni/start (PII), null when none or erased. */
  loadCandidate(interviewId: string): Promise<Candidate | null>;
  /** The capture token of the link verid sends; null when it sends none, or the token was revoked or erased. */
  loadLinkToken(interviewId: string): Promise<string | null>;
  /** Sets the delivery status and tries, appends the events and, when given, the outbox message — in one transaction. */
  recordLinkAttempt(interviewId: string, status: LinkDeliveryStatus, attempts: number, events: SessionEvent[], outbox?: OutboxMessage): Promise<void>;
  /**
   * Queues the link's delivery again (status `queued`, tries from 0) with its event, in one
   * transaction; false when the session has no link token left (revoked or erased).
   */
  requeueLinkDelivery(interviewId: string, maxAttempts: number, event: SessionEvent): Promise<boolean>;
}

export interface SessionFilter {
  states?: SessionState[];
  externalId?: string;
  origin?: SessionOrigin;
  identityId?: string;
  employeeId?: string;
  b2bReason?: string;
  createdFrom?: number;
  createdTo?: number;
}

/** Keyset position: sessions are listed by (createdAt, interviewId) descending. */
export interface SessionCursor {
  createdAt: number;
  interviewId: string;
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
  /**
   * Finds the identity with any of `lookupKeys` (the document's blind index under each master key in
   * use, current first) or creates it; stores the latest claims, face template and current lookup key.
   */
  enroll(lookupKeys: string[], claims: IdentityClaims, faceTemplate: number[] | null, environment?: Environment): Promise<string>;
  findClaims(identityId: string): Promise<IdentityClaims | undefined>;
  findFaceTemplate(identityId: string): Promise<number[] | undefined>;
  findByLookupKey(lookupKeys: string[]): Promise<string | undefined>;
  /** Enrolled templates changed since `since` (epoch ms), for the 1:N index; an erased identity comes with `template: null` (it leaves the index). */
  listTemplates(since: number): Promise<Array<{ identityId: string; template: number[] | null; interviewId: string | null; updatedAt: number; environment: Environment }>>;
}

/** Erasure on the raw tables (retention and deletion): erased data is gone, the non-PII record stays. */
export interface RetentionStore {
  /** Deletes the session's images and frames and nulls its document data and names. */
  eraseSessionMedia(interviewId: string, now?: number): Promise<void>;
  /** Leaves a stub (id, timestamps) of the identity; false when unknown or already erased. */
  eraseIdentity(identityId: string, now?: number): Promise<boolean>;
  sessionsOfIdentity(identityId: string): Promise<string[]>;
  /** Decided or expired sessions whose personal data is still there, completed before `before` (of one flow when given). */
  sessionsDecidedBefore(before: number, limit: number, configurationId?: string): Promise<string[]>;
  identitiesUnusedSince(before: number, limit: number): Promise<string[]>;
  /** Deletes the remaining (non-PII) records of erased sessions completed before `before`; returns how many. */
  deleteSessionRecordsBefore(before: number, limit: number): Promise<number>;
}

export interface LivenessChallenge {
  challengeId: string;
  interviewId: string;
  /** Every step, in order; only the first `revealed` have been shown to the client. */
  steps: string[];
  issuedAt: number;
  expiresAt: number;
  status: 'issued' | 'passed' | 'failed' | 'superseded';
  /** `selfieDigest`: the selfie the frames were matched against (enrolment), so a later selfie swap is seen. */
  result: { reasons: string[]; livenessScore: number | null; selfieDigest?: string | null } | null;
  revealed: number;
  /** Server time (epoch ms) the current step was revealed: its deadline runs from here. */
  stepRevealedAt: number;
  /** Whose attempts this counts towards (enrolled identity, or the document's blind index), if known. */
  subjectKey: string | null;
}

export interface ChallengeLimits {
  perSession: number;
  perSubject: number;
  /** Epoch ms: the subject's challenges since then count. */
  since: number;
  /** The subject under every master key in use (current first); empty when unknown. */
  subjectKeys: string[];
}

export interface ChallengeStore {
  /**
   * Creates a challenge (first step revealed) and supersedes the session's open ones, dropping their
   * frames, in one transaction — unless the session already had `limits.perSession` challenges, or
   * the subject `limits.perSubject` since `limits.since`. Counting and inserting are one step:
   * concurrent requests cannot each see room for one more (PostgreSQL: the session row and the
   * subject are locked for the transaction; SQLite: one writer).
   */
  issue(challenge: Omit<LivenessChallenge, 'status' | 'result' | 'revealed' | 'stepRevealedAt'>, limits: ChallengeLimits): Promise<'issued' | 'session_exhausted' | 'subject_limited'>;
  find(challengeId: string): Promise<LivenessChallenge | undefined>;
  /** The session's most recently completed challenge. */
  latest(interviewId: string): Promise<LivenessChallenge | undefined>;
  /** Stores frames (encrypted) received for `step` of an open challenge, at server time `receivedAt`; returns how many it holds now. */
  addFrames(challengeId: string, step: number, frames: Uint8Array[], receivedAt: number): Promise<number>;
  /** The challenge's frames in the order they were received. */
  loadFrames(challengeId: string): Promise<Array<{ step: number; image: Uint8Array }>>;
  /** Reveals the step after `revealed` (compare-and-set); false when it changed meanwhile or the challenge is closed. */
  reveal(challengeId: string, revealed: number, at: number): Promise<boolean>;
  /** Completes an `issued` challenge (single use) and drops its frames; false when it was already used or superseded. */
  complete(challengeId: string, status: 'passed' | 'failed', result: LivenessChallenge['result']): Promise<boolean>;
  /**
   * Records the frames' digests for `challengeId` and returns those already recorded for another
   * challenge (a re-used frame). Digests are keyed hashes, never the images. Each frame comes with
   * its digest under every master key in use, current first: the first is recorded, any matches.
   */
  recordFrameDigests(challengeId: string, digests: string[][]): Promise<string[]>;
  /**
   * Deletes the frames of challenges past their expiry (never judged: the person left) and frame
   * digests older than `digestsBefore`. Returns how many rows went.
   */
  purgeStale(now: number, digestsBefore: number): Promise<number>;
}
