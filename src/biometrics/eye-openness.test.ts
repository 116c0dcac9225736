import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLOSED_EYE_RATIO, eyeAspectRatio, eyeOpenness, OPEN_EYE_RATIO } from './eye-openness.ts';

/** A 468-point mesh whose eyes are 40 px wide with the given lid gaps. */
function mesh(leftGap: number, rightGap: number): number[][] {
  const points: number[][] = Array.from({ length: 468 }, () => [0, 0, 0]);
  const eye = (upper: number, lower: number, inner: number, outer: number, x: number, gap: number): void => {
    points[inner] = [x, 100, 0];
    points[outer] = [x + 40, 100, 0];
    points[upper] = [x + 20, 100 - gap / 2, 0];
    points[lower] = [x + 20, 100 + gap / 2, 0];
  };
  eye(386, 374, 362, 263, 200, leftGap);
  eye(159, 145, 133, 33, 100, rightGap);
  return points;
}

test('eye aspect ratio is lid gap over eye width', () => {
  assert.equal(eyeAspectRatio(mesh(12, 4), [386, 374, 362, 263]), 0.3);
  assert.equal(eyeAspectRatio(mesh(12, 4), [159, 145, 133, 33]), 0.1);
});

test('openness maps closed..open ratios to 0..1 and clamps', () => {
  const open = eyeOpenness(mesh(OPEN_EYE_RATIO * 40, CLOSED_EYE_RATIO * 40));
  assert.ok(Math.abs(open.left! - 1) < 1e-9 && Math.abs(open.right!) < 1e-9);
  assert.deepEqual(eyeOpenness(mesh(30, 0)), { left: 1, right: 0 });
  const half = eyeOpenness(mesh(((OPEN_EYE_RATIO + CLOSED_EYE_RATIO) / 2) * 40, 8)).left!;
  assert.ok(Math.abs(half - 0.5) < 1e-9);
});

test('a missing or degenerate mesh gives null instead of a number', () => {
  assert.deepEqual(eyeOpenness([]), { left: null, right: null });
  assert.deepEqual(eyeOpenness(Array.from({ length: 468 }, () => [0, 0, 0])), { left: null, right: null });
});
