// What the OCR engine is given: the passes over one page, with a recording engine instead of PaddleOCR.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { readMrzFromImage, readPrintedText } from './mrz-reader.ts';

async function photo(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#8a7a66' } }).jpeg().toBuffer();
}

/** Every image handed to the OCR engine, as width × height; the engine finds no text. */
function recordingEngine() {
  const sizes: Array<[number, number]> = [];
  const recognize = async (image: Buffer) => {
    const { width = 0, height = 0 } = await sharp(image).metadata();
    sizes.push([width, height]);
    return [];
  };
  return { sizes, recognize };
}

test('whole-page passes over a portrait photo stay within 1 600 × 1 200 pixels; the MRZ bands keep their width', async () => {
  const { sizes, recognize } = recordingEngine();
  const outcome = await readMrzFromImage(await photo(1500, 2000), recognize, new Date());
  assert.equal(outcome.kind, 'mrz_not_found');
  assert.deepEqual(sizes, [[1200, 1600], [1500, 800], [1500, 800], [1200, 1600]]);
});

test('a landscape page up to 4:3 keeps its width cap of 1 600 px, a smaller page its own size', async () => {
  for (const [width, height, expected] of [[2000, 1500, [1600, 1200]], [1250, 880, [1250, 880]]] as const) {
    const { sizes, recognize } = recordingEngine();
    await readPrintedText(await photo(width, height), recognize);
    assert.deepEqual(sizes, [expected]);
  }
});
