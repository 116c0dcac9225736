import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHALLENGE_STEPS, createChallenge } from './challenge.ts';
import type { ChallengeStep } from './challenge.ts';
import { burst, frame, OTHER_PERSON, SELFIE } from './challenge-fixtures.ts';
import type { TimedFrame } from './challenge-fixtures.ts';
import { performedSteps } from './performed-steps.ts';
import { TURNED_FRAME_MATCH_THRESHOLD, verifyChallenge } from './verify-challenge.ts';

const ASKED: ChallengeStep[] = ['turn_left', 'blink', 'turn_right'];
// A 1:1 threshold stricter than the turned-frame bound, so the tests can tell the two bounds apart.
const MATCH = 0.95;
const verify = (frames: TimedFrame[], steps: readonly ChallengeStep[] = ASKED, extra: object = {}) =>
  verifyChallenge({ steps, frames, issuedAt: 0, expiresAt: 60_000, receivedAt: 5_000, enrolledEmbedding: SELFIE, threshold: MATCH, ...extra });

test('createChallenge asks for every step once, in an order chosen by the random source', () => {
  const orders = new Set<string>();
  let seed = 1;
  for (let i = 0; i < 200; i++) {
    const steps = createChallenge((n) => (seed = (seed * 48271) % 2147483647) % n);
    assert.deepEqual([...steps].sort(), [...CHALLENGE_STEPS].sort());
    orders.add(steps.join(','));
  }
  assert.equal(orders.size, 6);
  assert.throws(() => createChallenge(() => 7), RangeError);
});

test('performedSteps finds the turns and the blink in order', () => {
  assert.deepEqual(performedSteps(burst(['turn_right', 'turn_left', 'blink'])).steps.map((s) => s.step), ['turn_right', 'turn_left', 'blink']);
  assert.deepEqual(performedSteps(burst([])).steps, []);
});

test('the asked steps in the asked order pass, and report the passive score', () => {
  const result = verify(burst(ASKED));
  assert.deepEqual(result.reasons, []);
  assert.equal(result.status, 'OK');
  assert.equal(result.livenessScore, 0.99);
  assert.deepEqual(result.details.performed, ASKED);
});

test('an extra natural blink is tolerated, an extra head turn is not', () => {
  assert.equal(verify(burst(['blink', 'turn_left', 'blink', 'turn_right'])).status, 'OK');
  assert.deepEqual(verify(burst(['turn_right', 'turn_left', 'blink', 'turn_right'])).reasons, ['challenge_not_performed']);
});

test('the right steps in the wrong order fail', () => {
  const result = verify(burst(['turn_right', 'blink', 'turn_left']));
  assert.equal(result.status, 'FAIL');
  assert.deepEqual(result.reasons, ['challenge_not_performed']);
});

test('a static image (the same frame every time) fails', () => {
  const frames = Array.from({ length: 30 }, (_, i) => frame(1_000 + i * 100));
  assert.deepEqual(verify(frames).reasons, ['challenge_not_performed']);
});

test('a missing step fails', () => {
  assert.deepEqual(verify(burst(['turn_left', 'blink'])).reasons, ['challenge_not_performed']);
});

test('frames stamped after expiry, or a burst received after expiry, fail as expired', () => {
  assert.ok(verify(burst(ASKED, 59_000)).reasons.includes('challenge_expired'));
  assert.deepEqual(verify(burst(ASKED), ASKED, { receivedAt: 61_000 }).reasons, ['challenge_expired']);
  assert.deepEqual(verify(burst(ASKED), ASKED, { issuedAt: 2_000 }).reasons, ['challenge_expired']);
});

test('a face swap in the middle of the burst fails as challenge_face_changed', () => {
  const frames = burst(ASKED);
  frames[8] = { ...frames[8]!, embedding: OTHER_PERSON };
  assert.deepEqual(verify(frames).reasons, ['challenge_face_changed']);
});

test('turned frames are held to the lower turned-frame bound, frontal frames to the match threshold', () => {
  // Similarity to SELFIE halfway between the turned-frame bound and the match threshold.
  const between = (TURNED_FRAME_MATCH_THRESHOLD + MATCH) / 2;
  const turnedLook = [0.6, 0.8, Math.sqrt(1 / between ** 2 - 1), 0];
  const frames = burst(ASKED).map((f) => (Math.abs(f.yaw ?? 0) > 0.2 ? { ...f, embedding: turnedLook } : f));
  assert.equal(verify(frames).status, 'OK');
  assert.deepEqual(verify(frames, ASKED, { turnedThreshold: between + 0.005 }).reasons, ['challenge_face_changed']);
  const frontalOff = burst(ASKED).map((f, i) => (i === 0 ? { ...f, embedding: turnedLook } : f));
  assert.deepEqual(verify(frontalOff).reasons, ['challenge_face_changed']);
});

test('a second face, too few frames, or mostly faceless frames fail', () => {
  const frames = burst(ASKED);
  frames[2] = { ...frames[2]!, faceCount: 2 };
  assert.deepEqual(verify(frames).reasons, ['challenge_multiple_faces']);
  assert.ok(verify(burst(ASKED).slice(0, 5)).reasons.includes('challenge_too_few_frames'));
  const faceless = burst(ASKED).map((f, i) => (i % 2 ? { ...f, faceCount: 0, yaw: null, embedding: null } : f));
  assert.ok(verify(faceless).reasons.includes('challenge_face_not_found'));
});

test('no enrolled template, an invalid challenge or a clearly spoofed passive score fail', () => {
  assert.ok(verify(burst(ASKED), ASKED, { enrolledEmbedding: null }).reasons.includes('challenge_face_changed'));
  assert.deepEqual(verify(burst(ASKED), ['turn_left', 'turn_left'] as ChallengeStep[]).reasons, ['challenge_invalid']);
  const spoof = burst(ASKED).map((f) => ({ ...f, passive: { liveness: 0.2, antispoof: 0.1 } }));
  assert.deepEqual(verify(spoof).reasons, ['liveness_spoof_suspected']);
});
