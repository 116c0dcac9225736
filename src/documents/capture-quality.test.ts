// Each capture gate fires on its degradation and on nothing else; clean and mildly degraded
// synthetic documents pass every gate.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import sharp from 'sharp';
import { glareOverBottomBand, motionBlur } from '../../test/support/bad-captures.ts';
import * as degrade from '../../test/support/degrade.ts';
import { generateIdCard, generatePassport } from '../../test/support/synthetic-document.ts';
import { generateDriverLicence } from '../../test/support/synthetic-licence.ts';
import { judgeCapture, measureCapture } from './capture-quality.ts';

const portrait = readFileSync(new URL('../../test/fixtures/faces/genuine/london_001/1.jpg', import.meta.url));
const documents: Record<string, Buffer> = {};

before(async () => {
  const identity = { surname: 'Smith', givenNames: 'John Peter', documentNumber: 'L898902C3', birthDate: '1974-08-12', expiryDate: '2032-04-15', sex: 'M' as const, portrait };
  const licence = await generateDriverLicence({ country: 'USA', jurisdiction: 'IL', surname: 'Smith', firstName: 'John', documentNumber: 'S1234567', birthDate: '1974-08-12', expiryDate: '2032-04-15', sex: 'M', portrait });
  documents.passport = await generatePassport({ ...identity, issuingCountry: 'GBR' });
  documents.idCard = await generateIdCard({ ...identity, issuingCountry: 'FRA' });
  documents.licenceFront = licence.front;
  documents.licenceBack = licence.back;
});

async function reasonsOf(image: Buffer): Promise<string[]> {
  const { info } = await sharp(image).toBuffer({ resolveWithObject: true });
  const work = await sharp(image).resize({ width: Math.min(1000, info.width) }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const measures = measureCapture({ data: work.data, width: work.info.width, height: work.info.height, channels: work.info.channels }, info.width, info.height);
  return judgeCapture(measures, 'Front').reasons;
}

const passing: Record<string, degrade.Degradation> = {
  clean: async (image) => image,
  'rotated 8°': degrade.rotate(8),
  perspective: degrade.perspective(0.08),
  'slight blur': degrade.blur(1),
  'JPEG q35': degrade.jpeg(35),
  'low light': degrade.lowLight(0.45),
  'small reflection': degrade.glare(0.15),
  'half the frame': degrade.farAway(0.5),
};

for (const [name, degradation] of Object.entries(passing)) {
  test(`${name}: every document passes every capture gate`, async () => {
    for (const [kind, image] of Object.entries(documents)) assert.deepEqual(await reasonsOf(await degradation(image)), [], kind);
  });
}

const failing: Array<[string, degrade.Degradation, string]> = [
  ['out of focus', degrade.blur(3), 'document_blurry'],
  ['glare over a third of the card', degrade.glare(0.35), 'document_glare'],
  ['far from the camera', degrade.farAway(0.3), 'document_too_small'],
  ['a thumbnail', degrade.downscale(400), 'document_too_small'],
];

for (const [name, degradation, reason] of failing) {
  test(`${name} → ${reason}`, async () => {
    for (const [kind, image] of Object.entries(documents)) assert.deepEqual(await reasonsOf(await degradation(image)), [reason], kind);
  });
}

test('an MRZ or barcode running off the bottom edge → document_cut_off', async () => {
  assert.deepEqual(await reasonsOf(await degrade.cutOffBottom(0.92)(documents.passport!)), ['document_cut_off']);
  assert.deepEqual(await reasonsOf(await degrade.cutOffBottom(0.92)(documents.idCard!)), ['document_cut_off']);
  assert.deepEqual(await reasonsOf(await degrade.cutOffBottom(0.8)(documents.licenceBack!)), ['document_cut_off']);
});

test('a featureless photo → document_not_found, with the quality items UNKNOWN', async () => {
  const blank = await sharp({ create: { width: 1000, height: 700, channels: 3, background: '#f4f1ea' } }).jpeg().toBuffer();
  const { data, info } = await sharp(blank).raw().toBuffer({ resolveWithObject: true });
  const judged = judgeCapture(measureCapture({ data, width: info.width, height: info.height, channels: info.channels }, 1000, 700), 'Back');
  assert.deepEqual(judged.reasons, ['document_not_found']);
  assert.deepEqual(judged.quality.map((item) => `${item.key}:${item.status}`), ['sharpnessBack:UNKNOWN', 'glareBack:UNKNOWN', 'documentSizeBack:UNKNOWN', 'framingBack:UNKNOWN', 'exposureBack:UNKNOWN']);
});

// Reason accuracy (bench/capture-reasons.ts): each defect is named for what it is, on a noisy
// phone photo as well as a clean one.
const noisy = (seed: number) => degrade.sensorNoise(16, seed);

const named: Array<[string, degrade.Degradation, string[]]> = [
  ['sensor noise on a well-framed card is no defect (was document_cut_off)', degrade.chain(degrade.rotate(3), noisy(5)), []],
  ['a reflection over the MRZ / barcode on a noisy photo → document_glare (was document_cut_off)', degrade.chain(degrade.rotate(3), noisy(6), glareOverBottomBand(0.5, 0.35)), ['document_glare']],
  ['a small card on a noisy photo → document_too_small (the noise spread the content box)', degrade.chain(degrade.farAway(0.28), noisy(7)), ['document_too_small']],
  ['motion blur → document_blurry (one axis smeared, the other crisp)', degrade.chain(degrade.rotate(3), motionBlur(15)), ['document_blurry']],
  ['an underexposed photo → document_too_dark', degrade.chain(degrade.rotate(3), degrade.lowLight(0.18)), ['document_too_dark']],
];

for (const [name, degradation, reasons] of named) {
  test(name, async () => {
    for (const [kind, image] of Object.entries(documents)) assert.deepEqual(await reasonsOf(await degradation(image)), reasons, kind);
  });
}
