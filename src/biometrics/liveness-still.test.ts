import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { createChallenge } from './challenge.ts';
import { DEFAULT_FACE_MATCH_THRESHOLD } from './default-threshold.ts';
import type { FaceMatcher } from './face-analysis.ts';
import { createFaceMatcher } from './face-matcher.ts';
import { verifyChallenge } from './verify-challenge.ts';

// A photo held up to the camera: the same image as every frame, or moved and zoomed a little
// (a replayed still). No head turn or blink happens, so every challenge fails.
const photo = readFile(new URL('../../test/fixtures/faces/genuine/london_002/1.jpg', import.meta.url));
let matcher: FaceMatcher;
before(() => {
  matcher = createFaceMatcher({ maxThreads: 2 });
});
after(async () => {
  await matcher.close();
});

async function judge(images: Uint8Array[]) {
  const selfie = (await matcher.analyze(await photo, 'selfie')).embedding;
  let seed = 3;
  const steps = createChallenge((n) => (seed = (seed * 16807) % 2147483647) % n);
  // Sent step by step as the server reveals them: two frames per step.
  const frames = (await matcher.analyzeFrames(images)).map((f, i) => ({ ...f, step: Math.floor((i * steps.length) / images.length) }));
  return verifyChallenge({ steps, frames, enrolledEmbedding: selfie, threshold: DEFAULT_FACE_MATCH_THRESHOLD });
}

test('a still photo sent as every frame fails the challenge', async () => {
  const still = new Uint8Array(await photo);
  const result = await judge(Array.from({ length: 10 }, () => still));
  assert.equal(result.status, 'FAIL');
  assert.deepEqual(result.reasons, ['challenge_not_performed']);
  assert.deepEqual(result.details.performed, []);
});

test('a replayed still that is moved and zoomed between frames fails the challenge', async () => {
  const source = sharp(await photo);
  const { width = 0, height = 0 } = await source.metadata();
  const images = await Promise.all(Array.from({ length: 10 }, async (_, i) => {
    const scale = 0.85 + 0.015 * i;
    const left = Math.round(i * 3);
    const crop = { left, top: Math.round(i * 2), width: Math.round(width * scale) - left, height: Math.round(height * scale) - i * 2 };
    return new Uint8Array(await sharp(await photo).extract(crop).rotate(i % 2 ? 2 : -2).jpeg({ quality: 80 }).toBuffer());
  }));
  const result = await judge(images);
  assert.equal(result.status, 'FAIL');
  assert.ok(result.reasons.includes('challenge_not_performed'), JSON.stringify(result));
});
