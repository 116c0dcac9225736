import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { DEFAULT_FACE_MATCH_THRESHOLD } from '../biometrics/index.ts';
import { compareFaces } from './compare-command.ts';
import type { CompareOptions } from './compare-command.ts';

const face = (path: string): string => fileURLToPath(new URL(`../../test/fixtures/faces/genuine/${path}`, import.meta.url));
const selfies: CompareOptions = { threshold: DEFAULT_FACE_MATCH_THRESHOLD, kinds: ['selfie', 'selfie'] };

test('compare: same person is a match, with both faces described and no template in the output', async () => {
  const result = await compareFaces(face('london_001/1.jpg'), face('london_001/2.jpg'), selfies);
  assert.equal(result.decision, 'match');
  assert.equal(result.threshold, DEFAULT_FACE_MATCH_THRESHOLD);
  assert.ok(result.similarity !== null && result.similarity >= DEFAULT_FACE_MATCH_THRESHOLD);
  assert.equal(result.faces.a.faceCount, 1);
  assert.deepEqual(result.faces.b.reasons, []);
  assert.ok(!JSON.stringify(result).includes('embedding'));
});

test('compare: different people are no_match; an image without a face is no_face', async () => {
  const other = await compareFaces(face('london_001/1.jpg'), face('london_002/1.jpg'), selfies);
  assert.equal(other.decision, 'no_match');
  const noFace = await compareFaces(face('london_001/1.jpg'), fileURLToPath(new URL('../../package.json', import.meta.url)), {
    threshold: DEFAULT_FACE_MATCH_THRESHOLD, kinds: ['selfie', 'document'],
  });
  assert.equal(noFace.decision, 'no_face');
  assert.equal(noFace.similarity, null);
  assert.deepEqual(noFace.faces.b.reasons, ['face_not_found']);
});
