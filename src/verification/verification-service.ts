import { AppError } from '../errors/index.ts';
import { hashSecret } from '../security/index.ts';
import { addImage, assertUploadAllowed } from './capture.ts';
import { issueChallenge, submitChallengeFrames, type FrameChunk, type IssuedChallenge, type StepResult } from './liveness-challenge.ts';
import type { Flow } from './flows.ts';
import type { DocumentRecord, SessionCursor, SessionFilter } from './ports.ts';
import { processId, type ProcessIdResult } from './process-document.ts';
import { processFace, type ProcessFaceResult } from './process-face.ts';
import type { ImageKind, VerificationSession } from './session.ts';
import { expireIfDue, expireSession, newCaptureToken, revokeCaptureToken, startSession, type StartInput } from './session-lifecycle.ts';
import { isCapturing, isOpen } from './session-state.ts';
import { expireDueSessions, recoverStuckProcessing } from './session-sweeps.ts';
import { eraseIdentity, eraseSession, purgeRetention } from './erasure.ts';
import { close, review } from './review.ts';
import { answerConsent } from './consent.ts';
import type { VerificationDeps } from './verification-deps.ts';
import { resendLink } from './link-delivery.ts';

/** The verification session use cases shared by the OIDC login, the Omni API and the B2B API. */
export class VerificationService {
  readonly #deps: VerificationDeps;

  constructor(deps: VerificationDeps) {
    this.#deps = deps;
  }

  start(input: StartInput): Promise<{ session: VerificationSession; token: string }> {
    return startSession(this.#deps, input);
  }

  /** Resolves a capture token to its session; an expired session is marked so and refused. */
  async authenticate(token: string): Promise<VerificationSession> {
    return expireIfDue(this.#deps, await this.#byToken(token));
  }

  /** The session that has this token, if any (one indexed lookup, no state change): the check made before a body is read. */
  async sessionIdForToken(token: string): Promise<string | undefined> {
    return (await this.#deps.sessions.findByTokenHash(hashSecret(token)))?.interviewId;
  }

  /** Refuses (409 too_many_uploads) an upload the session has no room for: checked before its body is read. */
  assertMayUpload(interviewId: string, kind: ImageKind): Promise<void> {
    return assertUploadAllowed(this.#deps, interviewId, kind);
  }

  /** The token's session without refusing any state (expiry applied), or undefined for an unknown token. */
  async findByToken(token: string): Promise<VerificationSession | undefined> {
    const session = await this.#deps.sessions.findByTokenHash(hashSecret(token));
    return session && expireIfDue(this.#deps, session, false);
  }

  /** Like `authenticate`, but also returns expired sessions (for reading results). */
  async authenticateAllowingClosed(token: string): Promise<VerificationSession> {
    return expireIfDue(this.#deps, await this.#byToken(token), false);
  }

  async #byToken(token: string): Promise<VerificationSession> {
    const session = await this.#deps.sessions.findByTokenHash(hashSecret(token));
    if (!session) throw new AppError('unauthorized', 'The session token is not valid');
    return session;
  }

  /** A new capture token for an open session (the old one stops working); only hashes are stored. */
  async reissueToken(session: VerificationSession): Promise<string> {
    const { token, tokenHash } = newCaptureToken();
    await this.#deps.sessions.replaceTokenHash(session.interviewId, tokenHash);
    return token;
  }

  async findByInteraction(uid: string): Promise<VerificationSession | undefined> {
    const session = await this.#deps.sessions.findByInteractionUid(uid);
    return session && expireIfDue(this.#deps, session, false);
  }

  /** The session an interview code names (typed by the person at /start). */
  async findByInterviewCode(code: string): Promise<VerificationSession | undefined> {
    const session = await this.#deps.sessions.findByInterviewCode(code);
    return session && expireIfDue(this.#deps, session, false);
  }

  async find(interviewId: string): Promise<VerificationSession | undefined> {
    const session = await this.#deps.sessions.findById(interviewId);
    return session && expireIfDue(this.#deps, session, false);
  }

  /**
   * `identityId` when it can re-verify with a selfie alone (it has an enrolled face). Call it only
   * with an identity named by a party verid trusts (docs/security.md), never with browser input.
   */
  async reverifiableIdentity(identityId: string): Promise<string | undefined> {
    return (await this.#deps.identities.findFaceTemplate(identityId)) ? identityId : undefined;
  }

  /** The person agrees (recorded with the text version) or declines (the session fails: consent_declined). */
  answerConsent(session: VerificationSession, accepted: boolean, version: string): Promise<VerificationSession> {
    return answerConsent(this.#deps, session, accepted, version);
  }

  addImage(session: VerificationSession, kind: ImageKind, data: Uint8Array): Promise<VerificationSession> {
    return addImage(this.#deps, session, kind, data);
  }

  processId(session: VerificationSession): Promise<ProcessIdResult> {
    return processId(this.#deps, session);
  }

  processFace(session: VerificationSession): Promise<ProcessFaceResult> {
    return processFace(this.#deps, session);
  }

  issueChallenge(session: VerificationSession): Promise<IssuedChallenge> {
    return issueChallenge(this.#deps, session);
  }

  submitChallengeFrames(session: VerificationSession, chunk: FrameChunk): Promise<StepResult> {
    return submitChallengeFrames(this.#deps, session, chunk);
  }

  /** Expires the open sessions past their expiry (the jobs runner's sweep). */
  expireDue(now = Date.now()): Promise<number> {
    return expireDueSessions(this.#deps, now);
  }

  /** Returns sessions left `processing` longer than `timeoutMs` (their process died) to capturing. */
  recoverStuck(timeoutMs: number, now = Date.now()): Promise<number> {
    return recoverStuckProcessing(this.#deps, timeoutMs, now);
  }

  /** A reviewer's decision on a `pending_review` session (`verid sessions approve|reject`). */
  review(interviewId: string, decision: 'approved' | 'rejected', reason: string): Promise<VerificationSession> {
    return review(this.#deps, interviewId, decision, reason);
  }

  /** Freezes a decided session (`verid sessions close`). */
  close(interviewId: string): Promise<VerificationSession> {
    return close(this.#deps, interviewId);
  }

  /** Frames of abandoned challenges, and frame digests older than 30 days (the sweep). */
  purgeStaleLiveness(now = Date.now()): Promise<number> {
    return this.#deps.challenges.purgeStale(now, now - 30 * 86_400_000);
  }

  /** The caller withdrew an open request (B2B cancel): it ends as expired, `session_cancelled`, and its token stops working. */
  async cancel(session: VerificationSession): Promise<VerificationSession> {
    if (!isOpen(session.state)) throw new AppError('invalid_state', `A ${session.state} verification cannot be cancelled`);
    if (!(await expireSession(this.#deps, session, 'session_cancelled'))) throw new AppError('conflict', 'The session changed meanwhile; retry');
    await revokeCaptureToken(this.#deps, session.interviewId);
    return (await this.#deps.sessions.findById(session.interviewId)) ?? session;
  }

  /** The interaction switched to another mode: its earlier session ends (its token stops working). */
  async replace(session: VerificationSession): Promise<void> {
    if (!isCapturing(session.state)) return;
    await expireSession(this.#deps, session, 'session_replaced');
    await revokeCaptureToken(this.#deps, session.interviewId);
  }

  /** Erases a session's personal data now (`verid sessions delete`); its non-PII record stays. */
  eraseSession(interviewId: string): Promise<void> {
    return eraseSession(this.#deps, interviewId, 'request');
  }

  /** Erases an identity and the personal data of all its sessions (`verid identities delete`). */
  eraseIdentity(identityId: string): Promise<void> {
    return eraseIdentity(this.#deps, identityId, 'request');
  }

  /** The retention sweep (VERID_RETENTION_*). */
  purgeRetention(now = Date.now()): Promise<{ sessions: number; identities: number; records: number }> {
    return purgeRetention(this.#deps, this.#deps.retentionPolicy, now);
  }

  /** The named flows (VERID_FLOWS, with `default`). */
  get flows(): ReadonlyMap<string, Flow> {
    return this.#deps.flows;
  }

  /** Queues an open session's link again (`POST /omni/start/resend`); 409 when decided or verid does not send its link. */
  resendLink(session: VerificationSession, maxAttempts: number): Promise<void> {
    return resendLink(this.#deps.sessions, session, maxAttempts);
  }

  /** An API client's sessions, newest first (keyset pagination). */
  listForClient(clientId: string, filter: SessionFilter, limit: number, cursor?: SessionCursor): Promise<VerificationSession[]> {
    return this.#deps.sessions.listForClient(clientId, filter, limit, cursor);
  }

  /** The images still kept for the session, base64 (for the API client that started it). */
  async loadImages(session: VerificationSession): Promise<Partial<Record<ImageKind, { contentType: string; base64: string }>>> {
    const images: Partial<Record<ImageKind, { contentType: string; base64: string }>> = {};
    for (const kind of await this.#deps.sessions.listImageKinds(session.interviewId)) {
      const image = await this.#deps.sessions.loadImage(session.interviewId, kind);
      if (image) images[kind] = { contentType: image.contentType, base64: image.data.toString('base64') };
    }
    return images;
  }

  loadDocument(session: VerificationSession): Promise<DocumentRecord | undefined> {
    return this.#deps.sessions.loadDocument(session.interviewId);
  }
}
