import { AppError } from '../errors/index.ts';
import { hashSecret } from '../security/index.ts';
import { addImage, assertUploadAllowed } from './capture.ts';
import type { ChallengeVerdict } from './engine-ports.ts';
import { issueChallenge, prefetchChallengeFrames, submitChallenge, type IssuedChallenge } from './liveness-challenge.ts';
import type { DocumentRecord } from './ports.ts';
import { processId, type ProcessIdResult } from './process-document.ts';
import { emailIndex, processFace, type ProcessFaceResult } from './process-face.ts';
import type { ImageKind, VerificationSession } from './session.ts';
import { expireIfDue, newCaptureToken, startSession, type StartInput } from './session-lifecycle.ts';
import type { VerificationDeps } from './verification-deps.ts';

/** The verification session use cases shared by the OIDC login, the Omni API and the B2B API. */
export class VerificationService {
  readonly #deps: VerificationDeps;
  /** Frames sent ahead per challenge (POST /omni/liveness/prefetch-frames), bounded per challenge. */
  readonly #prefetched = new Map<string, number>();

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

  /** Whether a session has this token (one indexed lookup, no state change): the check made before a body is read. */
  async isKnownToken(token: string): Promise<boolean> {
    return (await this.#deps.sessions.findByTokenHash(hashSecret(token))) !== undefined;
  }

  /** Refuses (409 too_many_uploads) an upload the session has no room for: checked before its body is read. */
  async assertMayUpload(token: string, kind: ImageKind): Promise<void> {
    const session = await this.#deps.sessions.findByTokenHash(hashSecret(token));
    if (session) await assertUploadAllowed(this.#deps, session.interviewId, kind);
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

  async find(interviewId: string): Promise<VerificationSession | undefined> {
    const session = await this.#deps.sessions.findById(interviewId);
    return session && expireIfDue(this.#deps, session, false);
  }

  /** The enrolled identity a returning user names by e-mail, when it has a face to re-verify against. */
  async identityForLoginHint(loginHint: string | null): Promise<string | undefined> {
    const index = emailIndex(this.#deps, loginHint);
    return index ? this.#deps.identities.findByEmailIndex(index) : undefined;
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

  async prefetchChallengeFrames(session: VerificationSession, challengeId: string, frames: Array<{ image: Uint8Array; timestamp: number }>): Promise<number> {
    const sentBefore = this.#prefetched.get(challengeId) ?? 0;
    const received = await prefetchChallengeFrames(this.#deps, session, challengeId, frames, sentBefore);
    this.#prefetched.delete(challengeId);
    this.#prefetched.set(challengeId, sentBefore + received);
    // Counts of recent challenges only (per instance): enough to bound the work one token can ask for.
    for (const [oldest] of this.#prefetched) {
      if (this.#prefetched.size <= 1000) break;
      this.#prefetched.delete(oldest);
    }
    return received;
  }

  submitChallenge(session: VerificationSession, challengeId: string, frames: Array<{ image: Uint8Array; timestamp: number }>): Promise<ChallengeVerdict> {
    return submitChallenge(this.#deps, session, challengeId, frames);
  }

  loadDocument(session: VerificationSession): Promise<DocumentRecord | undefined> {
    return this.#deps.sessions.loadDocument(session.interviewId);
  }
}
