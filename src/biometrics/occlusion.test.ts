import assert from 'node:assert/strict';
import { test } from 'node:test';
import { occlusionMeasures } from './occlusion.ts';

// A 200x200 "face" of one skin colour, with a mesh whose landmarks sit where a frontal face has them.
const SIZE = 200;
const SKIN = [196, 150, 128] as const;
const at: Record<number, [number, number]> = {
  151: [100, 40], 168: [100, 70], 33: [60, 80], 133: [85, 80], 263: [140, 80], 362: [115, 80],
  13: [100, 140], 14: [100, 146], 200: [100, 175], 205: [65, 130], 425: [135, 130],
};
const mesh = Array.from({ length: 468 }, (_, i) => [...(at[i] ?? [100, 100]), 0]);

function face(paint: (x: number, y: number) => readonly number[] | null = () => null) {
  const data = new Uint8Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) data.set(paint(x, y) ?? SKIN, (y * SIZE + x) * 3);
  }
  return { data, width: SIZE, height: SIZE };
}

test('bare skin: the eye and lower-face areas look like the rest of the face', () => {
  assert.deepEqual(occlusionMeasures(face(), mesh), { eyeLumaRatio: 1, lowerFaceChromaDistance: 0, lowerFaceLumaRatio: 1 });
});

test('dark lenses over the eyes make the eye areas dark', () => {
  const lenses = face((x, y) => ((x - 72) ** 2 + (y - 80) ** 2 < 400 || (x - 128) ** 2 + (y - 80) ** 2 < 400 ? [20, 20, 22] : null));
  const m = occlusionMeasures(lenses, mesh);
  assert.ok(m.eyeLumaRatio! < 0.2, JSON.stringify(m));
  assert.equal(m.lowerFaceChromaDistance, 0);
});

test('a blue mask over mouth, chin and lower cheeks shifts the lower face’s colour; a white one its brightness', () => {
  const blue = occlusionMeasures(face((_x, y) => (y > 110 ? [143, 184, 218] : null)), mesh);
  assert.ok(blue.lowerFaceChromaDistance! > 0.12, JSON.stringify(blue));
  const white = occlusionMeasures(face((_x, y) => (y > 110 ? [245, 245, 245] : null)), mesh);
  assert.ok(white.lowerFaceLumaRatio! > 1.3, JSON.stringify(white));
});

test('an incomplete mesh measures nothing', () => {
  assert.deepEqual(occlusionMeasures(face(), mesh.slice(0, 100)), { eyeLumaRatio: null, lowerFaceChromaDistance: null, lowerFaceLumaRatio: null });
});
