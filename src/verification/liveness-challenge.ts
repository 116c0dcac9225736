import { AppError } from '../errors/index.ts';
import { randomId } from '../security/index.ts';
import type { ChallengeVerdict } from './engine-ports.ts';
import { sniffImageType } from './image-format.ts';
import { enrolledTemplate } from './process-face.ts';
import type { VerificationSession } from './session.ts';
import { assertCapturing } from './session-lifecycle.ts';
import type { VerificationDeps } from './verification-deps.ts';

export const MIN_CHALLENGE_FRAMES = 3;
export const MAX_CHALLENGE_FRAMES = 60;
export const MAX_FRAME_BYTES = 1_000_000;

export interface IssuedChallenge {
  challengeId: string;
  steps: string[];
  expiresAt: number;
}

/** A fresh random, single-use, time-limited challenge; earlier open ones stop counting. Limited tries per session. */
export async function issueChallenge(deps: VerificationDeps, session: VerificationSession): Promise<IssuedChallenge> {
  assertCapturing(session);
  // Each try is a fresh random challenge, but unlimited tries would let an attacker fish for one
  // a replay happens to satisfy.
  if (await deps.challenges.countUsed(session.interviewId) >= deps.maxCaptureAttempts) {
    throw new AppError('attempts_exhausted', `The liveness check was already tried ${deps.maxCaptureAttempts} times in this session`);
  }
  const issuedAt = Date.now();
  const challenge = {
    challengeId: randomId(16), interviewId: session.interviewId, steps: deps.liveness.createChallenge(),
    issuedAt, expiresAt: issuedAt + deps.challengeTtlSeconds * 1000,
  };
  await deps.challenges.issue(challenge);
  await deps.sessions.appendEvent(session.interviewId, { type: 'liveness.challenge_issued', data: { challengeId: challenge.challengeId, steps: challenge.steps } });
  return { challengeId: challenge.challengeId, steps: challenge.steps, expiresAt: challenge.expiresAt };
}

type Frame = { image: Uint8Array; timestamp: number };

/** Frame count, size and type, then the challenge: it must be this session's and still open. */
async function openChallenge(deps: VerificationDeps, session: VerificationSession, challengeId: string, frames: Frame[], minFrames: number) {
  assertCapturing(session);
  if (frames.length < minFrames || frames.length > MAX_CHALLENGE_FRAMES) {
    throw new AppError('validation_failed', `Send between ${minFrames} and ${MAX_CHALLENGE_FRAMES} frames`);
  }
  frames.forEach((frame, index) => {
    if (frame.image.length > MAX_FRAME_BYTES) throw new AppError('payload_too_large', `Frame ${index} is larger than ${MAX_FRAME_BYTES} bytes`);
    if (!sniffImageType(frame.image)) throw new AppError('invalid_image', `Frame ${index} is not a JPEG, PNG or WebP image`);
  });
  const challenge = await deps.challenges.find(challengeId);
  if (!challenge || challenge.interviewId !== session.interviewId) throw new AppError('not_found', 'No such challenge for this session');
  if (challenge.status !== 'issued') throw new AppError('conflict', `The challenge was already ${challenge.status === 'superseded' ? 'replaced by a newer one' : 'used'}`);
  return challenge;
}

/**
 * Frames recorded so far for a challenge still being performed: their analysis starts now, and the
 * complete burst sent to submitChallenge reuses it. Nothing is judged, stored or used up.
 */
export async function prefetchChallengeFrames(
  deps: VerificationDeps, session: VerificationSession, challengeId: string, frames: Frame[], sentBefore: number,
): Promise<number> {
  await openChallenge(deps, session, challengeId, frames, 1);
  // A burst has at most MAX_CHALLENGE_FRAMES frames: more sent ahead would only be work for nothing.
  if (sentBefore + frames.length > MAX_CHALLENGE_FRAMES) {
    throw new AppError('rate_limited', `At most ${MAX_CHALLENGE_FRAMES} frames can be sent ahead for one challenge`);
  }
  deps.liveness.prefetch(frames.map((frame) => frame.image));
  return frames.length;
}

/** Checks the burst of frames the person recorded while performing the challenge. */
export async function submitChallenge(
  deps: VerificationDeps, session: VerificationSession, challengeId: string, frames: Frame[],
): Promise<ChallengeVerdict> {
  const challenge = await openChallenge(deps, session, challengeId, frames, MIN_CHALLENGE_FRAMES);
  const referenceEmbedding = await referenceFor(deps, session);
  const receivedAt = Date.now();
  const verdict = await deps.liveness.verify({
    steps: challenge.steps, frames, issuedAt: challenge.issuedAt, expiresAt: challenge.expiresAt, receivedAt, referenceEmbedding,
  });
  const stored = await deps.challenges.complete(challengeId, verdict.status === 'OK' ? 'passed' : 'failed',
    { reasons: verdict.reasons, livenessScore: verdict.livenessScore });
  if (!stored) throw new AppError('conflict', 'The challenge was already used');
  await deps.sessions.appendEvent(session.interviewId, {
    type: 'liveness.checked', data: { challengeId, status: verdict.status, reasons: verdict.reasons, livenessScore: verdict.livenessScore },
  });
  return verdict;
}

/** Frames must show the person of the selfie (enrol) or the enrolled person (re-verify). */
async function referenceFor(deps: VerificationDeps, session: VerificationSession): Promise<number[]> {
  if (session.mode === 'reverify') {
    const template = await enrolledTemplate(deps, session);
    if (!template) throw new AppError('invalid_state', 'The identity has no enrolled face');
    return template;
  }
  const selfie = await deps.sessions.loadImage(session.interviewId, 'face');
  if (!selfie) throw new AppError('invalid_state', 'Upload the selfie before the liveness challenge');
  const analysis = await deps.faces.analyze(selfie.data, 'selfie');
  if (!analysis.embedding) throw new AppError('invalid_state', 'No usable face in the selfie; upload a new selfie first');
  return analysis.embedding;
}
