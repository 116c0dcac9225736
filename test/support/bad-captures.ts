// Deliberately bad document captures, each labelled with the one capture reason it should raise
// (none for the well-captured controls): the set behind bench/capture-reasons.ts and the
// reason-accuracy tests. Generated at run time from the synthetic documents; seeded.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import * as degrade from './degrade.ts';
import { generateHardIdCard, generateHardPassport, HARD_COUNTRIES } from './hard-document.ts';
import { randomIdentity } from './random-identity.ts';
import { generateIdCard, generatePassport } from './synthetic-document.ts';
import { generateDriverLicence } from './synthetic-licence.ts';

export type CaptureLabel = 'document_glare' | 'document_blurry' | 'document_cut_off' | 'document_too_small'
  | 'document_not_found' | 'document_too_dark' | 'none';

export interface BadCapture { kind: string; document: string; label: CaptureLabel; image: Buffer }

type Side = 'top' | 'bottom' | 'left' | 'right';

/** Horizontal motion blur over `length` pixels (a hand moving while the shutter is open). */
export const motionBlur = (length: number): degrade.Degradation => async (image) => {
  const width = length % 2 === 1 ? length : length + 1;
  const kernel = [...new Array(width).fill(0), ...new Array(width).fill(1 / width), ...new Array(width).fill(0)];
  return sharp(image).convolve({ width, height: 3, kernel }).jpeg({ quality: 90 }).toBuffer();
};

/** The card on the table, but `fraction` of it beyond one side of the frame. */
export const outOfFrame = (side: Side, fraction: number): degrade.Degradation => async (image) => {
  const { width = 1000, height = 700 } = await sharp(image).metadata();
  const margin = Math.round(width * 0.06);
  const framed = await degrade.onTable(0.06)(image);
  const [cutX, cutY] = [Math.round(width * fraction) + margin, Math.round(height * fraction) + margin];
  const full = { left: 0, top: 0, width: width + 2 * margin, height: height + 2 * margin };
  const box = side === 'left' ? { ...full, left: cutX, width: full.width - cutX }
    : side === 'right' ? { ...full, width: full.width - cutX }
      : side === 'top' ? { ...full, top: cutY, height: full.height - cutY }
        : { ...full, height: full.height - cutY };
  return sharp(framed).extract(box).jpeg({ quality: 90 }).toBuffer();
};

/** A blown-out reflection (clipped white) over the machine-readable band at the bottom of the card. */
export const glareOverBottomBand = (cx: number, fraction: number): degrade.Degradation => degrade.glare(fraction, cx, 0.84);

/** A selfie (or any face photo) at a phone camera's resolution, sent where the document was expected. */
async function facePhoto(path: string, width: number): Promise<Buffer> {
  return sharp(readFileSync(path)).resize({ width }).jpeg({ quality: 88 }).toBuffer();
}

function portraitPaths(): string[] {
  const root = resolve(import.meta.dirname, '../fixtures/faces');
  return ['genuine', 'impostor'].map((group) => join(root, group)).filter(existsSync)
    .flatMap((dir) => readdirSync(dir).sort().map((person) => join(dir, person, '1.jpg'))).filter(existsSync);
}

async function documentImage(kind: number, random: () => number, portrait: Buffer): Promise<{ document: string; image: Buffer }> {
  const person = randomIdentity(random);
  const issuingCountry = HARD_COUNTRIES[Math.floor(random() * HARD_COUNTRIES.length)]!;
  const spec = { ...person, issuingCountry, portrait };
  const [firstName = ''] = person.givenNames.split(' ');
  switch (kind % 6) {
    case 0: return { document: 'passport', image: await generatePassport(spec) };
    case 1: return { document: 'id_card', image: await generateIdCard(spec) };
    case 2: return { document: 'hard_passport', image: await generateHardPassport(spec, 'OCR B') };
    case 3: return { document: 'hard_id_card_back', image: (await generateHardIdCard(spec, 'OCR B')).back };
    default: {
      const licence = await generateDriverLicence({ ...person, country: 'USA', jurisdiction: 'IL', firstName, documentNumber: 'D1234567', portrait });
      return kind % 6 === 4 ? { document: 'licence_front', image: licence.front } : { document: 'licence_back', image: licence.back };
    }
  }
}

const tilt = (random: () => number) => (random() < 0.5 ? -1 : 1) * (1 + random() * 4);
const pick = <T>(random: () => number, values: readonly T[]): T => values[Math.floor(random() * values.length)]!;

/** The capture classes: a name, the reason expected, and the defect applied to a card image. */
const CLASSES: ReadonlyArray<readonly [string, CaptureLabel, (random: () => number) => degrade.Degradation]> = [
  ['control', 'none', (random) => degrade.chain(degrade.rotate(tilt(random)), degrade.jpeg(80))],
  ['glare over the MRZ / barcode', 'document_glare', (random) => degrade.chain(glareOverBottomBand(0.3 + random() * 0.4, 0.3 + random() * 0.1), degrade.rotate(tilt(random)))],
  ['Gaussian blur', 'document_blurry', (random) => degrade.chain(degrade.rotate(tilt(random)), degrade.blur(2.5 + random() * 2))],
  ['motion blur', 'document_blurry', (random) => degrade.chain(degrade.rotate(tilt(random)), motionBlur(9 + Math.round(random() * 12)))],
  ['partly out of frame', 'document_cut_off', (random) => outOfFrame(pick(random, ['top', 'bottom', 'left', 'right'] as const), 0.15 + random() * 0.2)],
  ['small in the frame', 'document_too_small', (random) => degrade.chain(degrade.rotate(tilt(random)), degrade.farAway(0.22 + random() * 0.12))],
  ['underexposed', 'document_too_dark', (random) => degrade.chain(degrade.rotate(tilt(random)), degrade.lowLight(0.12 + random() * 0.13))],
];

/** `perClass` captures of every class (the face class included), deterministic for `random`. */
export async function* badCaptures(perClass: number, random: () => number): AsyncGenerator<BadCapture> {
  const faces = portraitPaths();
  if (faces.length === 0) throw new Error('no face photos under test/fixtures/faces');
  for (let index = 0; index < perClass; index++) {
    for (const [position, [kind, label, make]] of CLASSES.entries()) {
      const portrait = readFileSync(pick(random, faces));
      // Document kinds rotate through the classes so every class sees every kind.
      const { document, image } = await documentImage(index + position, random, portrait);
      // Half the photos carry a phone sensor's noise: a defect must be told apart from it. A
      // reflection saturates the sensor, so it stays clipped white through the noise.
      const noise = random() < 0.5 ? degrade.sensorNoise(6 + random() * 12, Math.floor(random() * 1e6)) : null;
      const defect = make(random);
      const captured = !noise ? await defect(image) : label === 'document_glare' ? await defect(await noise(image)) : await noise(await defect(image));
      yield { kind, document, label, image: captured };
    }
    const face = pick(random, faces);
    yield { kind: 'a face photo instead of the document', document: 'face', label: 'document_not_found', image: await facePhoto(face, pick(random, [960, 1280, 1600])) };
  }
}
