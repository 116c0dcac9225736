import { AppError } from '../errors/index.ts';
import { decide, documentOutcome, documentValidation, type Decision, type LivenessOutcome } from './decision-policy.ts';
import { contentDigests } from './content-digest.ts';
import type { FaceAnalysis } from './engine-ports.ts';
import { toIdentityClaims } from './identity-claims.ts';
import type { DocumentRecord } from './ports.ts';
import { processId } from './process-document.ts';
import type { Environment, VerificationSession } from './session.ts';
import { assertCapturing, reload, transition, transitionGate } from './session-lifecycle.ts';
import type { VerificationDeps } from './verification-deps.ts';

export interface ProcessFaceResult {
  session: VerificationSession;
  /** Set when the selfie must be retaken (the session stays open): the capture problems. */
  retryReasons: string[];
}

/** The face enrolled for the identity a re-verification belongs to. */
export async function enrolledTemplate(deps: VerificationDeps, session: VerificationSession): Promise<number[] | undefined> {
  return session.identityId ? deps.identities.findFaceTemplate(session.identityId) : undefined;
}

/**
 * The latest challenge's verdict. At enrolment it holds only for the selfie its frames were matched
 * against: a selfie uploaded after a passed challenge (someone else's photo) fails the liveness.
 */
async function livenessOutcome(deps: VerificationDeps, session: VerificationSession, selfie: Uint8Array): Promise<LivenessOutcome> {
  const challenge = await deps.challenges.latest(session.interviewId);
  const status = challenge?.status === 'passed' ? 'OK' : challenge?.status === 'failed' ? 'FAIL' : 'UNKNOWN';
  const outcome = { status, required: deps.requireLiveness, livenessScore: challenge?.result?.livenessScore ?? null, reasons: challenge?.result?.reasons ?? [] } as const;
  if (status === 'OK' && session.mode !== 'reverify' && !contentDigests(deps, selfie, 'selfie').includes(challenge?.result?.selfieDigest ?? '')) {
    return { ...outcome, status: 'FAIL', reasons: ['challenge_face_changed'] };
  }
  return outcome;
}

/** The face the selfie must match: the document portrait (enrol) or the enrolled template (re-verify). */
async function reference(deps: VerificationDeps, session: VerificationSession): Promise<{ embedding: number[] | null; reason: string }> {
  if (session.mode === 'reverify') {
    return { embedding: (await enrolledTemplate(deps, session)) ?? null, reason: 'enrolled_face_missing' };
  }
  const front = await deps.sessions.loadImage(session.interviewId, 'front');
  const portrait = front ? await deps.faces.analyze(front.data, 'document') : null;
  return { embedding: portrait?.embedding ?? null, reason: 'document_face_not_found' };
}

/** Compares the selfie with the reference face, applies the decision policy and records the outcome. */
export async function processFace(deps: VerificationDeps, session: VerificationSession): Promise<ProcessFaceResult> {
  assertCapturing(session);
  if (session.state !== 'face_captured') {
    throw new AppError('invalid_state', session.mode === 'reverify' ? 'Upload a selfie before processing' : 'Upload the front of the ID and a selfie before processing');
  }
  const document = session.mode === 'enroll'
    ? (await deps.sessions.loadDocument(session.interviewId)) ?? (await processId(deps, session)).record
    : undefined;
  session = await reload(deps, session);
  if (session.state !== 'face_captured') return { session, retryReasons: [] };
  if (!(await transitionGate(deps.sessions, session, 'processing', { type: 'processing.started', data: {} }))) {
    throw new AppError('conflict', 'The session is already being processed');
  }
  const processing = { ...session, state: 'processing' as const };
  try {
    const selfieImage = await deps.sessions.loadImage(session.interviewId, 'face');
    if (!selfieImage) throw new Error('selfie missing');
    const [ref, selfie] = await Promise.all([reference(deps, session), deps.faces.analyze(selfieImage.data, 'selfie')]);
    const attempts = await deps.sessions.countAttempt(session.interviewId, 'face');
    if (selfie.retryable && attempts < deps.maxCaptureAttempts) {
      await transition(deps, processing, 'face_captured', { type: 'face.retry', data: { reasons: selfie.reasons, attempt: attempts } });
      return { session: await reload(deps, session), retryReasons: selfie.reasons };
    }
    return { session: await decideAndRecord(deps, processing, document, ref, selfie, selfieImage.data), retryReasons: [] };
  } catch (error) {
    await transitionGate(deps.sessions, processing, 'face_captured', { type: 'processing.aborted', data: {} });
    throw error;
  }
}

async function decideAndRecord(
  deps: VerificationDeps, session: VerificationSession, document: DocumentRecord | undefined,
  ref: { embedding: number[] | null; reason: string }, selfie: FaceAnalysis, selfieImage: Uint8Array,
): Promise<VerificationSession> {
  const similarity = ref.embedding && selfie.embedding && selfie.reasons.length === 0 ? deps.faces.similarity(ref.embedding, selfie.embedding) : null;
  const enrolling = session.mode === 'enroll';
  // The 1:N search runs only for a document that passed its checks: otherwise anyone could hold up a
  // face as "document" and selfie and learn whether that face is enrolled here.
  const documentPassed = document !== undefined && documentValidation(documentOutcome(document)).overall.status === 'OK';
  const duplicate = enrolling && documentPassed && selfie.embedding && similarity !== null && similarity >= deps.faces.threshold
    ? await deps.faceSearch.findDuplicate(selfie.embedding, { excludeIdentityId: await existingIdentityFor(deps, document, session.environment), environment: session.environment })
    : null;
  const decision: Decision = decide({
    mode: enrolling ? 'enroll' : 'reverify',
    document: document && documentOutcome(document),
    face: { referenceFound: ref.embedding !== null, referenceReason: ref.reason, selfieReasons: selfie.reasons, selfieQuality: selfie.quality, similarity, threshold: deps.faces.threshold },
    liveness: await livenessOutcome(deps, session, selfieImage),
    duplicate,
    identityId: session.identityId,
  });
  let identityId: string | null = null;
  if (decision.state === 'succeeded') identityId = enrolling ? await enrol(deps, session, document, selfie) : session.identityId;
  await transition(deps, session, decision.state,
    { type: `session.${decision.state}`, data: { reasons: decision.reasons, similarity: decision.scores.faceRecognition.similarity } },
    { scores: decision.scores, reasons: decision.reasons, identityId, completedAt: Date.now() });
  return reload(deps, session);
}

/** Records the verified identity (new, or the one this document was enrolled under) with the selfie's face. */
export async function enrol(deps: VerificationDeps, session: VerificationSession, document: DocumentRecord | undefined, selfie: FaceAnalysis): Promise<string | null> {
  if (!document?.fields) return null;
  const claims = toIdentityClaims(document.fields, session);
  const identityId = await deps.identities.enroll(documentKeys(deps, document, session.environment), claims, selfie.embedding, session.environment);
  if (selfie.embedding) deps.faceSearch.enrolled(identityId, selfie.embedding, session.interviewId, session.environment);
  return identityId;
}

/**
 * The document's blind index (the identity's lookup key) under every master key in use, current
 * first: issuing country, type and number. A demo enrolment has its own (demo identities are apart).
 */
export function documentKeys(deps: VerificationDeps, document: DocumentRecord, environment: Environment = 'production'): string[] {
  const f = document.fields!;
  return deps.blindIndexes(documentLookupValue(f.issuingCountry, f.documentType, f.documentNumber), documentKeyPurpose(environment));
}

/** The blind index purpose of an identity's lookup key: `document`, or `document-demo` for demo identities. */
export function documentKeyPurpose(environment: Environment): string {
  return environment === 'demo' ? 'document-demo' : 'document';
}

/** What the document blind index hashes; `verid rekey` recomputes it from an identity's claims. */
export function documentLookupValue(issuingCountry: string, documentType: string, documentNumber: string): string {
  return `${issuingCountry}|${documentType}|${documentNumber}`;
}

/** The identity this very document was enrolled under before (re-enrolment is not a duplicate). */
async function existingIdentityFor(deps: VerificationDeps, document: DocumentRecord | undefined, environment: Environment): Promise<string | null> {
  if (!document?.fields) return null;
  return (await deps.identities.findByLookupKey(documentKeys(deps, document, environment))) ?? null;
}
