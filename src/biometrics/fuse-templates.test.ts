import assert from 'node:assert/strict';
import { test } from 'node:test';
import { faceSimilarity } from './face-similarity.ts';
import { FACE_API_WEIGHT, FACERES_WEIGHT, fuseTemplates } from './fuse-templates.ts';

const cosine = (a: number[], b: number[]): number => {
  const dot = a.reduce((s, x, i) => s + x * b[i]!, 0);
  return dot / Math.sqrt(a.reduce((s, x) => s + x * x, 0) * b.reduce((s, x) => s + x * x, 0));
};

test('fused similarity is the weighted sum of the two models’ cosines', () => {
  const faceres1 = [1.2, 0, 0.4, 0.3];
  const faceres2 = [0.8, 0.5, 0.1, 0];
  const faceApi1 = [0.1, -0.2, 0.05];
  const faceApi2 = [0.12, -0.1, -0.03];
  const fused = faceSimilarity(fuseTemplates(faceres1, faceApi1), fuseTemplates(faceres2, faceApi2));
  const expected = FACERES_WEIGHT * cosine(faceres1, faceres2) + FACE_API_WEIGHT * cosine(faceApi1, faceApi2);
  assert.ok(Math.abs(fused - expected) < 1e-12, `${fused} vs ${expected}`);
});

test('weights sum to 1 and a fused template has unit length', () => {
  assert.ok(Math.abs(FACERES_WEIGHT + FACE_API_WEIGHT - 1) < 1e-12);
  const fused = fuseTemplates([3, 4], [1, 1, 1]);
  assert.ok(Math.abs(Math.hypot(...fused) - 1) < 1e-12);
  assert.equal(fused.length, 5);
});
