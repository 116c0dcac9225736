import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FACE_REASON_MESSAGES, isRetryableFaceReason } from './face-reasons.ts';
import type { FaceReason } from './face-analysis.ts';
import { lumaStats } from './luma-stats.ts';
import { assessSelfieQuality } from './selfie-quality.ts';
import type { SelfieMeasurements } from './selfie-quality.ts';

const good: SelfieMeasurements = {
  faceWidth: 200, yaw: 0.05, pitch: -0.05, roll: 0.02, leftEyeOpenness: 1, rightEyeOpenness: 0.9, brightness: 128, sharpness: 200,
  occlusion: { eyeLumaRatio: 0.62, lowerFaceLumaRatio: 0.87, lowerFaceChromaDistance: 0.02 },
};
const reasonsOf = (changes: Partial<SelfieMeasurements>): FaceReason[] => assessSelfieQuality({ ...good, ...changes }).reasons;

test('a good selfie has every item OK, in a fixed order', () => {
  const { items, reasons } = assessSelfieQuality(good);
  assert.deepEqual(reasons, []);
  assert.deepEqual(items.map((i) => i.key), ['faceSize', 'pose', 'eyesOpen', 'brightness', 'sharpness', 'occlusion']);
  assert.deepEqual(items.map((i) => i.status), ['OK', 'OK', 'OK', 'OK', 'OK', 'OK']);
  assert.equal(items.find((i) => i.key === 'occlusion')?.value, 0);
});

test('occlusion: dark lenses, a dark or white mask, a coloured mask; the evidence rises from WARN (0.5) to FAIL (1)', () => {
  const occluded = (changes: Partial<NonNullable<SelfieMeasurements['occlusion']>>) => {
    const { items, reasons } = assessSelfieQuality({ ...good, occlusion: { ...good.occlusion!, ...changes } });
    return { item: items.find((i) => i.key === 'occlusion')!, reasons };
  };
  for (const changes of [{ eyeLumaRatio: 0.15 }, { lowerFaceLumaRatio: 0.2 }, { lowerFaceLumaRatio: 2.1 }, { lowerFaceChromaDistance: 0.14 }]) {
    const { item, reasons } = occluded(changes);
    assert.deepEqual([item.status, item.value, reasons], ['FAIL', 1, ['face_occluded']], JSON.stringify(changes));
  }
  const warn = occluded({ eyeLumaRatio: 0.23 });
  assert.equal(warn.item.status, 'WARN');
  assert.ok(warn.item.value! > 0.5 && warn.item.value! < 1);
  assert.deepEqual(warn.reasons, []);
  assert.equal(occluded({ eyeLumaRatio: null }).item.status, 'UNKNOWN');
});

test('each gate fails with its own reason code', () => {
  assert.deepEqual(reasonsOf({ faceWidth: 45 }), ['face_too_small']);
  assert.deepEqual(reasonsOf({ yaw: 0.7 }), ['face_not_frontal']);
  assert.deepEqual(reasonsOf({ pitch: -0.7 }), ['face_not_frontal']);
  assert.deepEqual(reasonsOf({ leftEyeOpenness: 0.1, rightEyeOpenness: 0.2 }), ['eyes_closed']);
  assert.deepEqual(reasonsOf({ brightness: 25 }), ['too_dark']);
  assert.deepEqual(reasonsOf({ brightness: 250 }), ['too_bright']);
  assert.deepEqual(reasonsOf({ sharpness: 5 }), ['face_blurry']);
});

test('borderline values warn without a reason; unmeasured pose, eyes and occlusion are UNKNOWN', () => {
  const { items, reasons } = assessSelfieQuality({ ...good, faceWidth: 70, brightness: 60, yaw: null, leftEyeOpenness: null, occlusion: null });
  assert.deepEqual(reasons, []);
  const status = Object.fromEntries(items.map((i) => [i.key, i.status]));
  assert.deepEqual(status, { faceSize: 'WARN', pose: 'UNKNOWN', eyesOpen: 'UNKNOWN', brightness: 'WARN', sharpness: 'OK', occlusion: 'UNKNOWN' });
});

test('every face reason has one sentence of copy and is retryable', () => {
  for (const [reason, message] of Object.entries(FACE_REASON_MESSAGES)) {
    assert.match(message, /^[A-Z].*\.$/, reason);
    assert.equal(isRetryableFaceReason(reason as FaceReason), true);
  }
});

test('lumaStats: mean luma, and a flat image has zero sharpness while a checkerboard is sharp', () => {
  const flat = new Uint8Array(16 * 16).fill(90);
  assert.deepEqual(lumaStats(flat, 16, 16), { brightness: 90, sharpness: 0 });
  const checker = Uint8Array.from({ length: 16 * 16 }, (_, i) => ((i % 16) + Math.floor(i / 16)) % 2 ? 255 : 0);
  const stats = lumaStats(checker, 16, 16);
  assert.ok(Math.abs(stats.brightness - 127.5) < 1e-9);
  assert.ok(stats.sharpness > 100_000);
});
