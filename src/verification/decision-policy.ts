import type { DocumentRecord } from './ports.ts';
import { emptyScores, overallOf, type CheckStatus, type ScoreItem, type Scores } from './scores.ts';

export interface DocumentOutcome {
  found: boolean;
  /** The machine-readable data (MRZ or licence barcode) was read and passed every check on it. */
  dataValid: boolean;
  items: ScoreItem[];
  quality?: ScoreItem[];
  reasons: string[];
}

export interface FaceOutcome {
  /** The face the selfie is compared with: the document portrait (enrol) or the enrolled face (re-verify). */
  referenceFound: boolean;
  /** Reason when the reference is missing, e.g. 'document_face_not_found'. */
  referenceReason?: string;
  selfieReasons: string[];
  selfieQuality?: ScoreItem[];
  similarity: number | null;
  threshold: number;
}

export interface LivenessOutcome {
  /** OK: a challenge passed; FAIL: it failed; UNKNOWN: none was performed. */
  status: CheckStatus;
  /** When true, a missing challenge fails the session. */
  required: boolean;
  livenessScore: number | null;
  reasons: string[];
}

export interface DuplicateOutcome {
  identityId: string;
  interviewId: string | null;
}

export interface DecisionInput {
  mode: 'enroll' | 'reverify';
  /** Enrolment only. */
  document?: DocumentOutcome;
  face: FaceOutcome;
  liveness?: LivenessOutcome;
  /** Enrolment only: another identity already has this face. */
  duplicate?: DuplicateOutcome | null;
  /** Re-verification only: the identity the selfie was compared with. */
  identityId?: string | null;
}

export interface Decision {
  state: 'succeeded' | 'failed' | 'pending_review';
  scores: Scores;
  reasons: string[];
}

const NO_LIVENESS: LivenessOutcome = { status: 'UNKNOWN', required: false, livenessScore: null, reasons: [] };

function faceStatus(face: FaceOutcome): { status: CheckStatus; reasons: string[] } {
  const reasons = [...face.selfieReasons];
  if (!face.referenceFound) reasons.push(face.referenceReason ?? 'document_face_not_found');
  if (reasons.length > 0 || face.similarity === null) return { status: 'FAIL', reasons };
  if (face.similarity >= face.threshold) return { status: 'OK', reasons };
  return { status: 'FAIL', reasons: ['face_mismatch'] };
}

function livenessStatus(liveness: LivenessOutcome): { status: CheckStatus; reasons: string[] } {
  if (liveness.status === 'UNKNOWN' && liveness.required) return { status: 'FAIL', reasons: ['liveness_not_performed'] };
  return { status: liveness.status, reasons: liveness.status === 'FAIL' ? liveness.reasons : [] };
}

/** What the decision needs from a stored document record. */
export function documentOutcome(record: DocumentRecord): DocumentOutcome {
  return {
    found: record.fields !== null,
    dataValid: record.dataValid ?? record.mrzValid,
    items: record.items,
    quality: record.quality,
    reasons: record.reasons,
  };
}

/**
 * The document's part of the scores: a document not found or without valid machine-readable data
 * fails; otherwise the worst of its checks (a WARN sends the session to review, see decide). Capture
 * quality items are reported beside it; a poor capture is handled as a retake, not judged here.
 */
export function documentValidation(document: DocumentOutcome): Scores['idValidation'] {
  let status: CheckStatus = document.found ? overallOf(document.items) : 'FAIL';
  if (!document.dataValid) status = 'FAIL';
  return {
    photoSecurityAndQuality: document.quality ?? [],
    idSpecific: document.items,
    overall: { value: status === 'OK' ? 1 : status === 'WARN' ? 0.5 : 0, status },
  };
}

/**
 * The one place that turns check results into an outcome.
 * - Any failed check (document, face match, liveness) fails the session.
 * - Enrolment succeeds only when every document check is OK and the face matches; a document
 *   check that only warns (the MRZ name not confirmed by the printed name) or a face that already
 *   belongs to another identity sends the session to review: verid never signs a claim it is unsure of.
 * - Re-verification succeeds when the selfie matches the enrolled face (and liveness holds).
 */
export function decide(input: DecisionInput): Decision {
  const scores = emptyScores();
  const face = faceStatus(input.face);
  const liveness = livenessStatus(input.liveness ?? NO_LIVENESS);
  const reasons: string[] = [];
  let idStatus: CheckStatus = 'OK';

  if (input.mode === 'enroll') {
    const document = input.document ?? { found: false, dataValid: false, items: [], reasons: ['mrz_not_found'] };
    scores.idValidation = documentValidation(document);
    idStatus = scores.idValidation.overall.status;
    reasons.push(...document.reasons);
  }

  scores.faceRecognition = {
    ...scores.faceRecognition,
    overall: { value: input.face.similarity, status: face.status },
    similarity: input.face.similarity,
    threshold: input.face.threshold,
    existingUser: input.mode === 'enroll' ? Boolean(input.duplicate) : null,
    existingInterviewId: input.duplicate?.interviewId ?? null,
    nameMatch: input.document?.items.find((item) => item.key === 'nameMatch')?.status ?? 'UNKNOWN',
  };
  const quality = input.face.selfieQuality ?? [];
  scores.liveness = {
    overall: { value: input.liveness?.livenessScore ?? null, status: liveness.status },
    livenessScore: input.liveness?.livenessScore ?? null,
    activeChallenge: input.liveness?.status ?? 'UNKNOWN',
    photoQuality: overallOf(quality),
  };
  reasons.push(...face.reasons, ...liveness.reasons);
  if (input.duplicate) reasons.push('duplicate_identity');

  const failed = idStatus === 'FAIL' || idStatus === 'UNKNOWN' || face.status !== 'OK' || liveness.status === 'FAIL';
  const review = !failed && (idStatus === 'WARN' || Boolean(input.duplicate));
  const state = failed ? 'failed' : review ? 'pending_review' : 'succeeded';

  if (input.mode === 'reverify') {
    scores.authentication = {
      overall: { value: state === 'succeeded' ? 1 : 0, status: state === 'succeeded' ? 'OK' : 'FAIL' },
      identityId: state === 'succeeded' ? input.identityId ?? null : null,
    };
  }
  const unique = [...new Set(reasons)];
  scores.overall = { value: state === 'succeeded' ? 1 : state === 'failed' ? 0 : 0.5, status: state === 'succeeded' ? 'OK' : state === 'failed' ? 'FAIL' : 'WARN' };
  scores.reasons = unique;
  return { state, scores, reasons: unique };
}
