import assert from 'node:assert/strict';
import { test } from 'node:test';
import { faceSimilarity } from './face-similarity.ts';

test('identical templates score 1', () => {
  assert.equal(faceSimilarity([0.2, 0.5, 0.1], [0.2, 0.5, 0.1]), 1);
});

test('is scale-invariant and symmetric', () => {
  const a = [0.3, -0.1, 0.7, 0.2];
  const b = [0.1, 0.4, 0.6, -0.3];
  assert.ok(Math.abs(faceSimilarity(a, b) - faceSimilarity(a.map((x) => x * 7), b)) < 1e-12);
  assert.equal(faceSimilarity(a, b), faceSimilarity(b, a));
});

test('orthogonal and opposite templates score 0, never negative', () => {
  assert.equal(faceSimilarity([1, 0], [0, 1]), 0);
  assert.equal(faceSimilarity([1, 2, 3], [-1, -2, -3]), 0);
});

test('stays within 0..1 and orders closer templates higher', () => {
  const base = [0.5, 0.2, 0.9, 0.1];
  const near = [0.52, 0.18, 0.88, 0.12];
  const far = [0.1, 0.9, 0.2, 0.7];
  const s1 = faceSimilarity(base, near);
  const s2 = faceSimilarity(base, far);
  assert.ok(s1 > s2 && s1 <= 1 && s2 >= 0);
});

test('empty, mismatched or all-zero templates score 0 instead of throwing', () => {
  assert.equal(faceSimilarity([], []), 0);
  assert.equal(faceSimilarity([1, 2], [1, 2, 3]), 0);
  assert.equal(faceSimilarity([0, 0], [1, 1]), 0);
});
