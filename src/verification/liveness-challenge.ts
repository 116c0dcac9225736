import { AppError, engineBusy } from '../errors/index.ts';
import { randomId } from '../security/index.ts';
import { assertConsented } from './consent.ts';
import { contentDigest, contentDigests } from './content-digest.ts';
import type { ChallengeVerdict } from './engine-ports.ts';
import { sniffImageType } from './image-format.ts';
import type { LivenessChallenge } from './ports.ts';
import { documentKeys, enrolledTemplate } from './process-face.ts';
import type { VerificationSession } from './session.ts';
import { assertCapturing } from './session-lifecycle.ts';
import type { VerificationDeps } from './verification-deps.ts';

/**
 * Frames one request may carry, and the largest frame: the page sends ~20 kB frames, 320 px wide;
 * a 640 px JPEG stays well under 150 kB. A chunk is then at most ~8 MB of base64.
 */
export const MAX_CHUNK_FRAMES = 40;
export const MAX_FRAME_BYTES = 150_000;
/** Frames of one challenge in all (a step of 1.5 s at 10 frames/s is 15). */
export const MAX_CHALLENGE_FRAMES = 200;
/** A step finished sooner after it was revealed than a person can react and move is refused. */
export const STEP_MIN_MS = 700;
/** A step must be finished this long after it was revealed, by server receipt time. */
export const STEP_DEADLINE_MS = 6_000;
const HOUR_MS = 3_600_000;

export interface RevealedStep {
  index: number;
  action: string;
  /** Server time by which the step must be finished (epoch ms). */
  deadlineAt: number;
}

export interface IssuedChallenge {
  challengeId: string;
  totalSteps: number;
  step: RevealedStep;
  expiresAt: number;
}

/** The answer to a chunk of frames: the challenge goes on (with the next step once one is finished), or its verdict. */
export type StepResult =
  | { status: 'IN_PROGRESS'; next: RevealedStep | null }
  | ({ status: 'OK' | 'FAIL' } & ChallengeVerdict);

export interface FrameChunk {
  challengeId: string;
  /** The step being performed (the last one revealed). */
  step: number;
  frames: Uint8Array[];
  /** The step is finished: reveal the next one, or judge the challenge after the last. */
  done: boolean;
}

function revealed(challenge: Pick<LivenessChallenge, 'steps'>, index: number, at: number): RevealedStep {
  return { index, action: challenge.steps[index]!, deadlineAt: at + STEP_DEADLINE_MS };
}

/** Whose liveness attempts a session spends: the identity re-verifying, or the document being enrolled. */
/** The person's subject key under every master key in use (current first); empty when unknown. */
async function subjectOf(deps: VerificationDeps, session: VerificationSession): Promise<string[]> {
  if (session.mode === 'reverify') return session.identityId ? [`identity:${session.identityId}`] : [];
  const document = await deps.sessions.loadDocument(session.interviewId);
  return document?.fields ? documentKeys(deps, document).map((key) => `document:${key}`) : [];
}

/**
 * A fresh random, single-use, time-limited challenge; only its first step is revealed. Every
 * challenge issued is an attempt: at most VERID_MAX_CAPTURE_ATTEMPTS per session, and at most
 * VERID_MAX_CHALLENGES_PER_HOUR per person across sessions.
 */
export async function issueChallenge(deps: VerificationDeps, session: VerificationSession): Promise<IssuedChallenge> {
  assertCapturing(session);
  assertConsented(session);
  if (!deps.liveness.hasCapacity()) throw engineBusy();
  const issuedAt = Date.now();
  const subjectKeys = await subjectOf(deps, session);
  const challenge = {
    challengeId: randomId(16), interviewId: session.interviewId, steps: deps.liveness.createChallenge(deps.livenessSteps),
    issuedAt, expiresAt: issuedAt + deps.challengeTtlSeconds * 1000, subjectKey: subjectKeys[0] ?? null,
  };
  const outcome = await deps.challenges.issue(challenge, {
    perSession: deps.maxCaptureAttempts, perSubject: deps.maxChallengesPerHour, since: issuedAt - HOUR_MS, subjectKeys,
  });
  if (outcome === 'session_exhausted') {
    throw new AppError('attempts_exhausted', `The liveness check was already tried ${deps.maxCaptureAttempts} times in this session`);
  }
  if (outcome === 'subject_limited') throw new AppError('rate_limited', 'Too many liveness checks for this person in the last hour; try again later');
  await deps.sessions.appendEvent(session.interviewId, {
    type: 'liveness.challenge_issued', data: { challengeId: challenge.challengeId, totalSteps: challenge.steps.length },
  });
  return { challengeId: challenge.challengeId, totalSteps: challenge.steps.length, step: revealed(challenge, 0, issuedAt), expiresAt: challenge.expiresAt };
}

function checkFrames(frames: Uint8Array[]): void {
  if (frames.length > MAX_CHUNK_FRAMES) throw new AppError('validation_failed', `Send at most ${MAX_CHUNK_FRAMES} frames at a time`);
  frames.forEach((frame, index) => {
    if (frame.length > MAX_FRAME_BYTES) throw new AppError('payload_too_large', `Frame ${index} is larger than ${MAX_FRAME_BYTES} bytes`);
    if (!sniffImageType(frame)) throw new AppError('invalid_image', `Frame ${index} is not a JPEG, PNG or WebP image`);
  });
}

/**
 * Frames recorded while performing the revealed step, in the order the person's camera gave them.
 * The server stamps them with the step and its own receipt time: order and timing never come from
 * the client. Finishing a step reveals the next; finishing the last judges every frame received.
 */
export async function submitChallengeFrames(deps: VerificationDeps, session: VerificationSession, chunk: FrameChunk): Promise<StepResult> {
  assertCapturing(session);
  checkFrames(chunk.frames);
  const challenge = await deps.challenges.find(chunk.challengeId);
  if (!challenge || challenge.interviewId !== session.interviewId) throw new AppError('not_found', 'No such challenge for this session');
  if (challenge.status !== 'issued') throw new AppError('conflict', `The challenge was already ${challenge.status === 'superseded' ? 'replaced by a newer one' : 'used'}`);
  const current = challenge.revealed - 1;
  if (chunk.step !== current) throw new AppError('conflict', `Step ${chunk.step} is not the step being performed (${current})`);
  const now = Date.now();
  if (now > challenge.expiresAt || now > challenge.stepRevealedAt + STEP_DEADLINE_MS) return fail(deps, challenge, ['challenge_expired']);
  if (chunk.frames.length > 0) {
    const digests = chunk.frames.map((frame) => contentDigests(deps, frame, 'liveness-frame'));
    if ((await deps.challenges.recordFrameDigests(challenge.challengeId, digests)).length > 0) return fail(deps, challenge, ['challenge_replayed']);
    if (await deps.challenges.addFrames(challenge.challengeId, current, chunk.frames, now) > MAX_CHALLENGE_FRAMES) {
      return fail(deps, challenge, ['challenge_too_many_frames']);
    }
    deps.liveness.prefetch(chunk.frames);
  }
  if (!chunk.done) return { status: 'IN_PROGRESS', next: null };
  if (now - challenge.stepRevealedAt < STEP_MIN_MS) return fail(deps, challenge, ['challenge_too_fast']);
  // One request finishes a step (compare-and-set); after the last, that same claim means only one
  // request ever loads and judges the frames, however many `done` arrive at once.
  if (!(await deps.challenges.reveal(challenge.challengeId, challenge.revealed, now))) throw new AppError('conflict', 'The challenge changed meanwhile');
  if (current < challenge.steps.length - 1) return { status: 'IN_PROGRESS', next: revealed(challenge, current + 1, now) };
  return judge(deps, session, challenge);
}

async function judge(deps: VerificationDeps, session: VerificationSession, challenge: LivenessChallenge): Promise<StepResult> {
  const frames = await deps.challenges.loadFrames(challenge.challengeId);
  // The person has just performed every step: a busy engine is waited out, not answered with 503
  // (a retry could only come after the step's deadline).
  const reference = await patiently(() => referenceFor(deps, session));
  const verdict = await patiently(() => deps.liveness.verify({ steps: challenge.steps, frames, referenceEmbedding: reference.embedding }));
  return record(deps, challenge, verdict, reference.selfieDigest);
}

const PATIENCE_MS = 60_000;

async function patiently<T>(work: () => Promise<T>): Promise<T> {
  const until = Date.now() + PATIENCE_MS;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: string }).code !== 'engine_busy' || Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function fail(deps: VerificationDeps, challenge: LivenessChallenge, reasons: string[]): Promise<StepResult> {
  return record(deps, challenge, { status: 'FAIL', reasons, livenessScore: null });
}

async function record(deps: VerificationDeps, challenge: LivenessChallenge, verdict: ChallengeVerdict, selfieDigest: string | null = null): Promise<StepResult> {
  const stored = await deps.challenges.complete(challenge.challengeId, verdict.status === 'OK' ? 'passed' : 'failed',
    { reasons: verdict.reasons, livenessScore: verdict.livenessScore, selfieDigest });
  if (!stored) throw new AppError('conflict', 'The challenge was already used');
  await deps.sessions.appendEvent(challenge.interviewId, {
    type: 'liveness.checked',
    data: { challengeId: challenge.challengeId, status: verdict.status, reasons: verdict.reasons, livenessScore: verdict.livenessScore },
  });
  return { ...verdict };
}

/**
 * Frames must show the person of the selfie (enrol) or the enrolled person (re-verify). When it is
 * the selfie, the verdict is bound to that selfie's digest: the decision holds only for it.
 */
async function referenceFor(deps: VerificationDeps, session: VerificationSession): Promise<{ embedding: number[]; selfieDigest: string | null }> {
  if (session.mode === 'reverify') {
    const template = await enrolledTemplate(deps, session);
    if (!template) throw new AppError('invalid_state', 'The identity has no enrolled face');
    return { embedding: template, selfieDigest: null };
  }
  const selfie = await deps.sessions.loadImage(session.interviewId, 'face');
  if (!selfie) throw new AppError('invalid_state', 'Upload the selfie before finishing the liveness challenge');
  const analysis = await deps.faces.analyze(selfie.data, 'selfie');
  if (!analysis.embedding) throw new AppError('invalid_state', 'No usable face in the selfie; upload a new selfie first');
  return { embedding: analysis.embedding, selfieDigest: contentDigest(deps, selfie.data, 'selfie') };
}
