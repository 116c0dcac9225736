import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseFace, MIN_FACE_WIDTH } from './choose-face.ts';
import type { FaceDetection } from './choose-face.ts';

const face = (width: number, embedding: number[] | null = [1, 2]): FaceDetection => ({
  box: { x: 0, y: 0, width, height: width },
  score: 0.9,
  embedding,
});

test('no detection is face_not_found', () => {
  assert.deepEqual(chooseFace([], 'selfie'), {
    faceCount: 0, box: null, detectionScore: null, embedding: null, quality: [], reasons: ['face_not_found'], retryable: true,
  });
});

test('the largest face is chosen', () => {
  const result = chooseFace([face(80, [1]), face(200, [2]), face(120, [3])], 'document');
  assert.equal(result.box?.width, 200);
  assert.deepEqual(result.embedding, [2]);
  assert.equal(result.faceCount, 3);
});

test('several faces are multiple_faces for a selfie but allowed on a document (ghost image)', () => {
  assert.deepEqual(chooseFace([face(200), face(100)], 'selfie').reasons, ['multiple_faces']);
  assert.deepEqual(chooseFace([face(200), face(100)], 'document').reasons, []);
});

test('a face below the minimum width is face_too_small and yields no template', () => {
  const result = chooseFace([face(MIN_FACE_WIDTH - 1)], 'selfie');
  assert.deepEqual(result.reasons, ['face_too_small']);
  assert.equal(result.embedding, null);
});
