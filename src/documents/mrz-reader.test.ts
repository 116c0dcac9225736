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
  // Full page, two MRZ bands, upside down, then a quarter turn each way (a portrait photo of a card lying sideways).
  assert.deepEqual(sizes, [[1200, 1600], [1500, 800], [1500, 800], [1200, 1600], [1600, 1200], [1600, 1200]]);
});

test('a landscape photo without an MRZ is not tried a quarter turn off', async () => {
  const { sizes, recognize } = recordingEngine();
  await readMrzFromImage(await photo(1250, 880), recognize, new Date());
  assert.equal(sizes.length, 4);
});

test('a landscape page up to 4:3 keeps its width cap of 1 600 px, a smaller page its own size', async () => {
  for (const [width, height, expected] of [[2000, 1500, [1600, 1200]], [1250, 880, [1250, 880]]] as const) {
    const { sizes, recognize } = recordingEngine();
    await readPrintedText(await photo(width, height), recognize);
    assert.deepEqual(sizes, [expected]);
  }
});

test('the MRZ side of a TD1 card is read with the other side\'s printed text as evidence', async () => {
  // C1CAKNVZ6 with its Z read as 2: one look-alike swap passes both check digits.
  const lines = ['IDCANC1CAKNV260<<<<<<<<<<<<<<<', '7408122F3204153CAN<<<<<<<<<<<6', 'DOE<<JANE<<<<<<<<<<<<<<<<<<<<<'];
  const recognize = async () => lines;
  const backOnly = await readMrzFromImage(await photo(1070, 675), recognize, new Date('2026-06-01'));
  assert.equal(backOnly.kind === 'read' && backOnly.reading.numberUnclear, true);
  const withFront = await readMrzFromImage(await photo(1070, 675), recognize, new Date('2026-06-01'), ['CANADA', 'DOE', 'JANE', 'C1CAKNVZ6']);
  assert.equal(withFront.kind, 'read');
  assert.equal(withFront.kind === 'read' && withFront.reading.nameConfirmed, true);
  assert.equal(withFront.kind === 'read' && withFront.reading.numberUnclear, false);
  assert.equal(withFront.kind === 'read' && withFront.reading.fields.documentNumber, 'C1CAKNVZ6');
});
