import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { createFaceMatcher, DEFAULT_FACE_MATCH_THRESHOLD, faceSimilarity } from './index.ts';
import type { FaceMatcher } from './index.ts';

const fixtures = new URL('../../test/fixtures/faces/', import.meta.url);
const photo = (path: string): Promise<Buffer> => readFile(new URL(path, fixtures));

let matcher: FaceMatcher;
before(() => {
  matcher = createFaceMatcher({ maxThreads: 1 });
});
after(async () => {
  await matcher.close();
});

async function template(path: string): Promise<number[]> {
  const analysis = await matcher.analyze(await photo(path), 'selfie');
  assert.deepEqual(analysis.reasons, [], path);
  assert.equal(analysis.faceCount, 1, path);
  assert.ok(analysis.embedding, path);
  return analysis.embedding;
}

async function similarity(a: string, b: string): Promise<number> {
  return faceSimilarity(await template(a), await template(b));
}

test('genuine pairs score at or above the threshold', async () => {
  for (const [a, b] of [
    ['genuine/london_001/1.jpg', 'genuine/london_001/2.jpg'],
    ['genuine/congress_B000716/1.jpg', 'genuine/congress_B000716/2.jpg'],
    ['genuine/congress_B000911/1.jpg', 'genuine/congress_B000911/2.jpg'],
  ] as const) {
    const score = await similarity(a, b);
    assert.ok(score >= DEFAULT_FACE_MATCH_THRESHOLD, `${a} vs ${b}: ${score}`);
  }
});

test('impostor pairs score below the threshold', async () => {
  for (const [a, b] of [
    ['genuine/london_001/1.jpg', 'impostor/canada_003f.jpg'],
    ['genuine/london_002/1.jpg', 'impostor/canada_008f.jpg'],
    ['genuine/congress_B000716/1.jpg', 'impostor/congress_A000148.jpg'],
    ['genuine/congress_B000911/2.jpg', 'impostor/congress_A000373.jpg'],
    ['genuine/london_001/1.jpg', 'genuine/london_003/1.jpg'],
  ] as const) {
    const score = await similarity(a, b);
    assert.ok(score < DEFAULT_FACE_MATCH_THRESHOLD, `${a} vs ${b}: ${score}`);
  }
});

test('an image without a face is face_not_found', async () => {
  const blank = await sharp({ create: { width: 480, height: 640, channels: 3, background: { r: 200, g: 180, b: 160 } } }).jpeg().toBuffer();
  const analysis = await matcher.analyze(blank, 'selfie');
  assert.deepEqual(analysis.reasons, ['face_not_found']);
  assert.equal(analysis.faceCount, 0);
  assert.equal(analysis.embedding, null);
});

test('bytes that are not an image are face_not_found, not an exception', async () => {
  const analysis = await matcher.analyze(new TextEncoder().encode('not an image'), 'selfie');
  assert.deepEqual(analysis.reasons, ['face_not_found']);
});

test('a small portrait on a large light page is found as a document', async () => {
  const pageWidth = 1400;
  const portraitWidth = Math.round(pageWidth * 0.3);
  const portrait = await sharp(await photo('genuine/london_001/1.jpg')).resize({ width: portraitWidth }).toBuffer();
  const page = await sharp({ create: { width: pageWidth, height: 990, channels: 3, background: { r: 236, g: 232, b: 220 } } })
    .composite([{ input: portrait, left: 60, top: 250 }])
    .png()
    .toBuffer();
  const analysis = await matcher.analyze(page, 'document');
  assert.deepEqual(analysis.reasons, []);
  assert.ok(analysis.box && analysis.box.x >= 60 && analysis.box.x < 60 + portraitWidth, JSON.stringify(analysis.box));
  const selfie = await template('genuine/london_001/2.jpg');
  assert.ok(analysis.embedding && faceSimilarity(analysis.embedding, selfie) >= DEFAULT_FACE_MATCH_THRESHOLD);
});

test('a card far from the camera: the portrait is described from the full-resolution photo', async () => {
  // A 12-megapixel photo with the ID page only 640 px wide in it, EXIF-rotated: downscaled to
  // 1280 px for detection, the portrait's face is ~40 px wide — too small to describe well.
  const portrait = await sharp(await photo('genuine/london_002/1.jpg')).resize({ width: 190 }).toBuffer();
  const page = await sharp({ create: { width: 640, height: 450, channels: 3, background: { r: 236, g: 232, b: 220 } } })
    .composite([{ input: portrait, left: 30, top: 120 }]).png().toBuffer();
  const upright = await sharp({ create: { width: 4032, height: 3024, channels: 3, background: '#5d544b' } })
    .composite([{ input: page, left: 2100, top: 1500 }]).jpeg({ quality: 92 }).toBuffer();
  const stored = await sharp(upright).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 92 }).toBuffer();
  const analysis = await matcher.analyze(stored, 'document');
  assert.deepEqual(analysis.reasons, []);
  // The box is in the photo's own (upright) pixels.
  const centre = analysis.box && { x: analysis.box.x + analysis.box.width / 2, y: analysis.box.y + analysis.box.height / 2 };
  assert.ok(centre && centre.x > 2130 && centre.x < 2130 + 190 && centre.y > 1620 && centre.y < 1620 + 250, JSON.stringify(analysis.box));
  const close = await matcher.analyze(await sharp(page).resize({ width: 1400 }).png().toBuffer(), 'document');
  const selfie = await template('genuine/london_002/2.jpg');
  const far = faceSimilarity(analysis.embedding!, selfie);
  assert.ok(far >= DEFAULT_FACE_MATCH_THRESHOLD, `far ${far}`);
  assert.ok(Math.abs(far - faceSimilarity(close.embedding!, selfie)) < 0.01, 'as good as a close-up of the same page');
});

test('two faces side by side in a selfie are multiple_faces', async () => {
  const left = await sharp(await photo('genuine/london_001/1.jpg')).resize({ width: 400 }).toBuffer();
  const right = await sharp(await photo('genuine/london_002/1.jpg')).resize({ width: 400 }).toBuffer();
  const both = await sharp({ create: { width: 800, height: 400, channels: 3, background: '#808080' } })
    .composite([
      { input: left, left: 0, top: 0 },
      { input: right, left: 400, top: 0 },
    ])
    .jpeg()
    .toBuffer();
  const analysis = await matcher.analyze(both, 'selfie');
  assert.equal(analysis.faceCount, 2);
  assert.deepEqual(analysis.reasons, ['multiple_faces']);
});

test('EXIF orientation is applied before detection', async () => {
  // Stored rotated 90 degrees with an EXIF tag saying so: upright once oriented.
  const rotated = await sharp(await photo('genuine/london_001/1.jpg')).rotate(270).withMetadata({ orientation: 6 }).jpeg().toBuffer();
  const analysis = await matcher.analyze(rotated, 'selfie');
  assert.deepEqual(analysis.reasons, []);
  const selfie = await template('genuine/london_001/2.jpg');
  assert.ok(analysis.embedding && faceSimilarity(analysis.embedding, selfie) >= DEFAULT_FACE_MATCH_THRESHOLD);
});
