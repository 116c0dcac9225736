// The PDF417 of a licence back photographed small: the bars are located, scaled up and squared up
// before a retry, so a back whose modules span about one pixel still decodes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import sharp from 'sharp';
import * as degrade from '../../test/support/degrade.ts';
import { generateDriverLicence } from '../../test/support/synthetic-licence.ts';
import { barcodeSlant, findBarcodeRegion } from './barcode-region.ts';
import { decodePdf417 } from './pdf417-decoder.ts';

const portrait = readFileSync(new URL('../../test/fixtures/faces/genuine/london_002/1.jpg', import.meta.url));
let back: Buffer;
let front: Buffer;

before(async () => {
  ({ front, back } = await generateDriverLicence({
    country: 'USA', jurisdiction: 'IL', surname: 'García-López', firstName: 'José', middleNames: 'María',
    documentNumber: 'G1234567', birthDate: '1985-07-15', expiryDate: '2031-02-03', sex: 'M', portrait,
  }));
});

async function grey(image: Buffer) {
  const { data, info } = await sharp(image).grayscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

for (const width of [380, 420]) {
  test(`a licence back ${width} px wide at JPEG q30 decodes`, async () => {
    const outcome = await decodePdf417(await degrade.chain(degrade.downscale(width), degrade.jpeg(30))(back));
    assert.equal(outcome.kind, 'decoded');
    assert.match(outcome.kind === 'decoded' ? outcome.text : '', /DAQG1234567/);
  });
}

test('the barcode region covers the PDF417 of a back (bars vertical), or of a back turned a quarter (horizontal)', async () => {
  // The synthetic back prints its PDF417 at x 71–941, y 50–203 of 1012 × 638.
  const upright = findBarcodeRegion(await grey(back));
  assert.equal(upright?.bars, 'vertical');
  const box = upright!.box;
  assert.ok(box.left <= 71 && box.left + box.width >= 941 && box.top <= 50 && box.top + box.height >= 203, JSON.stringify(box));
  assert.ok(box.height < 638 * 0.6, JSON.stringify(box));
  const turned = findBarcodeRegion(await grey(await sharp(back).rotate(90).png().toBuffer()));
  assert.equal(turned?.bars, 'horizontal');
});

test('no barcode region on a blank photo', async () => {
  const blank = await sharp({ create: { width: 800, height: 500, channels: 3, background: '#eeeeee' } }).png().toBuffer();
  assert.equal(findBarcodeRegion(await grey(blank)), null);
});

test('the slant of sheared bars and rows is measured with its sign', async () => {
  const crop = await sharp(back).extract({ left: 50, top: 30, width: 910, height: 200 }).png().toBuffer();
  const leaning = barcodeSlant(await grey(await sharp(crop).affine([1, 0.06, 0, 1], { background: '#fff' }).png().toBuffer()));
  assert.ok(leaning.bars > 2 && leaning.bars < 4 && Math.abs(leaning.rows) < 0.7, JSON.stringify(leaning));
  const tilted = barcodeSlant(await grey(await sharp(crop).affine([1, 0, -0.06, 1], { background: '#fff' }).png().toBuffer()));
  assert.ok(tilted.rows < -2 && tilted.rows > -4 && Math.abs(tilted.bars) < 0.7, JSON.stringify(tilted));
});

test('the front of a licence has no barcode to decode', async () => {
  assert.notEqual((await decodePdf417(front)).kind, 'decoded');
});
