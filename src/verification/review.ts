import { AppError } from '../errors/index.ts';
import { enrol } from './process-face.ts';
import { reload, transition } from './session-lifecycle.ts';
import type { VerificationSession } from './session.ts';
import type { VerificationDeps } from './verification-deps.ts';

/** A reviewer's reason is a code (`document_checked_by_hand`), never free text that could carry personal data. */
const REASON_CODE = /^[a-z][a-z0-9_]{1,63}$/;

async function load(deps: VerificationDeps, interviewId: string): Promise<VerificationSession> {
  const session = await deps.sessions.findById(interviewId);
  if (!session) throw new AppError('not_found', 'No such session');
  return session;
}

/**
 * Decides a session waiting for review. Approving an enrolment enrols the identity from the
 * session's own document and selfie, as a success would have (so the person can sign in).
 */
export async function review(deps: VerificationDeps, interviewId: string, decision: 'approved' | 'rejected', reason: string): Promise<VerificationSession> {
  if (!REASON_CODE.test(reason)) throw new AppError('validation_failed', 'The reason is a code: lower-case letters, digits and _ (e.g. document_checked_by_hand)');
  const session = await load(deps, interviewId);
  if (session.state !== 'pending_review') throw new AppError('invalid_state', `The session is ${session.state}, not waiting for review`);
  let identityId = session.identityId;
  if (decision === 'approved' && session.mode === 'enroll') {
    const document = await deps.sessions.loadDocument(interviewId);
    const selfie = await deps.sessions.loadImage(interviewId, 'face');
    if (!document?.fields || !selfie) throw new AppError('invalid_state', 'The session\'s document or selfie is no longer kept: it cannot be approved');
    identityId = await enrol(deps, session, document, await deps.faces.analyze(selfie.data, 'selfie'));
  }
  await transition(deps, session, decision, { type: decision === 'approved' ? 'review.approved' : 'review.rejected', data: { reason } },
    { identityId, reasons: [...session.reasons, reason] });
  return reload(deps, session);
}

/** Freezes a decided session's result. */
export async function close(deps: VerificationDeps, interviewId: string): Promise<VerificationSession> {
  const session = await load(deps, interviewId);
  await transition(deps, session, 'closed', { type: 'session.closed', data: {} });
  return reload(deps, session);
}
