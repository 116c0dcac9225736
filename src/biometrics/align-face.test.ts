import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignmentLandmarks, CHIP_PADDING, CHIP_SIZE, chipTransform, MESH_ALIGNMENT_POINTS, sampleChip, similarityTransform } from './align-face.ts';
import type { Point, SimilarityTransform } from './align-face.ts';

const apply = ({ a, b, tx, ty }: SimilarityTransform, p: Point): Point => ({ x: a * p.x - b * p.y + tx, y: b * p.x + a * p.y + ty });
const close = (actual: number, expected: number, what: string): void => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} vs ${expected}`);

test('similarityTransform recovers a rotation, scale and shift exactly', () => {
  const angle = 0.3;
  const scale = 2.5;
  const truth = { a: scale * Math.cos(angle), b: scale * Math.sin(angle), tx: 40, ty: -12 };
  const from = [{ x: 0, y: 0 }, { x: 10, y: 3 }, { x: -4, y: 8 }, { x: 7, y: -6 }];
  const fitted = similarityTransform(from, from.map((p) => apply(truth, p)));
  for (const key of ['a', 'b', 'tx', 'ty'] as const) close(fitted[key], truth[key], key);
  assert.throws(() => similarityTransform([{ x: 1, y: 1 }], [{ x: 2, y: 2 }]), RangeError);
  assert.throws(() => similarityTransform([{ x: 1, y: 1 }, { x: 1, y: 1 }], [{ x: 0, y: 0 }, { x: 3, y: 3 }]), RangeError);
});

test('chipTransform puts the eyes level and the nose below them, whatever the head roll', () => {
  // A face rolled by 20° in a 640x480 image: the eye line is tilted, the chip's must not be.
  const roll = (20 * Math.PI) / 180;
  const centre = { x: 320, y: 240 };
  const place = (dx: number, dy: number): Point => ({
    x: centre.x + dx * Math.cos(roll) - dy * Math.sin(roll),
    y: centre.y + dx * Math.sin(roll) + dy * Math.cos(roll),
  });
  // image-right eye outer, inner; image-left eye outer, inner; nose base (pixels from the centre)
  const landmarks = [place(45, -30), place(15, -28), place(-45, -30), place(-15, -28), place(0, 25)];
  const toImage = chipTransform(landmarks);
  // The inverse maps the image points into the chip: eye corners at one height, nose centred.
  const det = toImage.a ** 2 + toImage.b ** 2;
  const toChip = (p: Point): Point => {
    const x = p.x - toImage.tx;
    const y = p.y - toImage.ty;
    return { x: (toImage.a * x + toImage.b * y) / det, y: (-toImage.b * x + toImage.a * y) / det };
  };
  const [rightOuter, , leftOuter, , nose] = landmarks.map(toChip);
  assert.ok(Math.abs(rightOuter!.y - leftOuter!.y) < 1, 'outer eye corners level in the chip');
  assert.ok(Math.abs(nose!.x - CHIP_SIZE / 2) < 3, `nose centred: ${nose!.x}`);
  assert.ok(nose!.y > rightOuter!.y && nose!.y < CHIP_SIZE, 'nose below the eyes, inside the chip');
  assert.ok(rightOuter!.x > leftOuter!.x, 'no mirror image');
  // Padding: the eyes span about half of the chip (dlib's mean face, padding 0.25).
  const span = (rightOuter!.x - leftOuter!.x) / CHIP_SIZE;
  assert.ok(span > 0.45 && span < 0.6, `eye span ${span} with padding ${CHIP_PADDING}`);
});

test('sampleChip copies pixels through the transform, mirrors on request and repeats edges outside', () => {
  // 4x2 image, each pixel's red = 10 * x + y, green = 100, blue = index
  const width = 4;
  const height = 2;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([10 * x + y, 100, y * width + x], (y * width + x) * 3);
  const image = { data, width, height };
  const identity = { a: 1, b: 0, tx: 0, ty: 0 };
  const chip = sampleChip(image, identity, 2);
  assert.deepEqual(Array.from(chip), [0, 100, 0, 10, 100, 1, 1, 100, 4, 11, 100, 5]);
  const mirrored = sampleChip(image, identity, 2, true);
  assert.deepEqual(Array.from(mirrored.subarray(0, 6)), [10, 100, 1, 0, 100, 0]);
  // half a pixel to the right: bilinear mean of two neighbours
  assert.equal(sampleChip(image, { a: 1, b: 0, tx: 0.5, ty: 0 }, 1)[0], 5);
  // far outside the image: the nearest edge pixel
  assert.deepEqual(Array.from(sampleChip(image, { a: 1, b: 0, tx: 50, ty: 50 }, 1)), [31, 100, 7]);
});

test('alignmentLandmarks reads the five mesh points, or null for an incomplete mesh', () => {
  const mesh = Array.from({ length: 468 }, (_, i) => [i, i + 0.5, 0]);
  assert.deepEqual(alignmentLandmarks(mesh), MESH_ALIGNMENT_POINTS.map((i) => ({ x: i, y: i + 0.5 })));
  assert.equal(alignmentLandmarks(mesh.slice(0, 100)), null);
  mesh[2] = [Number.NaN, 1, 0];
  assert.equal(alignmentLandmarks(mesh), null);
});
