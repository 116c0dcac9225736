import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { createFaceMatcher } from './index.ts';
import type { FaceMatcher } from './index.ts';

// Real images through the worker: the gates fire on degraded copies of a good selfie.
const selfie = readFile(new URL('../../test/fixtures/faces/genuine/london_001/1.jpg', import.meta.url));
let matcher: FaceMatcher;
before(() => {
  matcher = createFaceMatcher({ maxThreads: 1 });
});
after(async () => {
  await matcher.close();
});

test('the original selfie passes every measured gate', async () => {
  const analysis = await matcher.analyze(await selfie, 'selfie');
  assert.deepEqual(analysis.reasons, []);
  assert.equal(analysis.retryable, false);
  assert.deepEqual(analysis.quality.map((q) => q.status), ['OK', 'OK', 'OK', 'OK', 'OK', 'OK']);
});

/** Draws over the face found in the original selfie (box in its pixels): dark lenses or a mask. */
async function cover(what: 'sunglasses' | 'blue mask' | 'black mask'): Promise<Buffer> {
  const image = await selfie;
  const { box } = await matcher.analyze(image, 'selfie');
  const { width, height } = await sharp(image).metadata();
  const { x, y, width: w, height: h } = box!;
  const shape = what === 'sunglasses'
    ? [0.31, 0.69].map((cx) => `<ellipse cx="${x + cx * w}" cy="${y + 0.4 * h}" rx="${0.15 * w}" ry="${0.09 * h}" fill="#141414"/>`).join('')
    : `<polygon fill="${what === 'blue mask' ? '#8fb8da' : '#202020'}" points="${[[0.02, 0.5], [0.5, 0.47], [0.98, 0.5], [0.9, 0.85], [0.5, 1.02], [0.1, 0.85]]
      .map(([px, py]) => `${x + px! * w},${y + py! * h}`).join(' ')}"/>`;
  const svg = Buffer.from(`<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${shape}</svg>`);
  return sharp(image).composite([{ input: svg }]).jpeg({ quality: 90 }).toBuffer();
}

for (const what of ['sunglasses', 'black mask'] as const) {
  test(`a selfie with ${what} is face_occluded (a retake)`, async () => {
    const analysis = await matcher.analyze(await cover(what), 'selfie');
    const occlusion = analysis.quality.find((q) => q.key === 'occlusion');
    assert.ok(analysis.reasons.includes('face_occluded'), JSON.stringify({ occlusion, reasons: analysis.reasons }));
    assert.equal(analysis.retryable, true);
  });
}

test('a selfie with a light blue mask at least warns (colour masks are caught less reliably: docs/face-matching.md)', async () => {
  const analysis = await matcher.analyze(await cover('blue mask'), 'selfie');
  const occlusion = analysis.quality.find((q) => q.key === 'occlusion')!;
  assert.notEqual(occlusion.status, 'OK', JSON.stringify(occlusion));
  assert.ok((occlusion.value ?? 0) >= 0.5);
});

test('a dark copy is too_dark', async () => {
  const dark = await sharp(await selfie).linear(0.18, 0).jpeg().toBuffer();
  const analysis = await matcher.analyze(dark, 'selfie');
  assert.ok(analysis.reasons.includes('too_dark'), JSON.stringify(analysis.quality));
  assert.equal(analysis.retryable, true);
});

test('an overexposed copy is too_bright', async () => {
  const bright = await sharp(await selfie).linear(1.6, 110).jpeg().toBuffer();
  const analysis = await matcher.analyze(bright, 'selfie');
  assert.ok(analysis.reasons.includes('too_bright'), JSON.stringify(analysis.quality));
});

test('a blurred copy is face_blurry', async () => {
  const blurred = await sharp(await selfie).blur(6).jpeg().toBuffer();
  const analysis = await matcher.analyze(blurred, 'selfie');
  assert.ok(analysis.reasons.includes('face_blurry'), JSON.stringify(analysis.quality));
});

test('a small face on a large background is face_too_small', async () => {
  const small = await sharp(await selfie).resize({ width: 70 }).toBuffer();
  const page = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 120, g: 130, b: 140 } } })
    .composite([{ input: small, left: 260, top: 180 }])
    .jpeg()
    .toBuffer();
  const analysis = await matcher.analyze(page, 'selfie');
  assert.ok(analysis.reasons.includes('face_too_small'), JSON.stringify({ box: analysis.box, reasons: analysis.reasons }));
});

test('documents are not quality-gated as selfies', async () => {
  const analysis = await matcher.analyze(await selfie, 'document');
  assert.deepEqual(analysis.quality, []);
});
