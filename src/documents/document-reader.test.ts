// Image round trip: synthetic documents → worker-pool OCR → fields. One reader for the whole file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { rotate } from '../../test/support/degrade.ts';
import { generateIdCard, generatePassport } from '../../test/support/synthetic-document.ts';
import type { SyntheticDocumentSpec } from '../../test/support/synthetic-document.ts';
import { createDocumentReader } from './index.ts';
import type { DocumentReader, ScoreItem } from './index.ts';

const portrait = readFileSync(new URL('../../test/fixtures/faces/genuine/london_001/1.jpg', import.meta.url));
const SPEC: SyntheticDocumentSpec = {
  issuingCountry: 'GBR', surname: 'Smith', givenNames: 'John Peter', documentNumber: 'L898902C3',
  birthDate: '1974-08-12', expiryDate: '2032-04-15', sex: 'M', portrait,
};
const item = (items: ScoreItem[], key: string) => items.find((candidate) => candidate.key === key);

let reader: DocumentReader;
before(() => { reader = createDocumentReader({ maxThreads: 1 }); });
after(() => reader.close());

test('a generated TD3 passport is read back field for field', async () => {
  const reading = await reader.read(await generatePassport(SPEC));
  assert.equal(reading.mrzValid, true, reading.reasons.join());
  assert.deepEqual(reading.fields, {
    documentType: 'passport', source: 'mrz', mrzFormat: 'TD3', issuingCountry: 'GBR', nationality: 'GBR', documentNumber: 'L898902C3',
    surname: 'SMITH', givenNames: 'JOHN PETER', birthDate: '1974-08-12', expiryDate: '2032-04-15', sex: 'M',
  });
  assert.deepEqual(reading.reasons, []);
  assert.ok(reading.items.every((entry) => entry.status === 'OK'), JSON.stringify(reading.items));
});

test('a generated TD1 ID card is read back field for field', async () => {
  const spec: SyntheticDocumentSpec = {
    ...SPEC, issuingCountry: 'DEU', nationality: 'FRA', surname: 'Müller-Lüdenscheidt', givenNames: 'Anna Maria',
    documentNumber: 'T22000129', birthDate: '1990-02-28', expiryDate: '2030-11-30', sex: 'F',
  };
  const reading = await reader.read(await generateIdCard(spec));
  assert.equal(reading.mrzValid, true, reading.reasons.join());
  assert.deepEqual(reading.fields, {
    documentType: 'id_card', source: 'mrz', mrzFormat: 'TD1', issuingCountry: 'DEU', nationality: 'FRA', documentNumber: 'T22000129',
    surname: 'MUELLER LUEDENSCHEIDT', givenNames: 'ANNA MA', birthDate: '1990-02-28', expiryDate: '2030-11-30', sex: 'F',
  });
  assert.deepEqual(reading.reasons, []);
});

test('a corrupted document number check digit is reported, not repaired', async () => {
  const reading = await reader.read(await generatePassport({ ...SPEC, corrupt: 'documentNumberCheckDigit' }));
  assert.equal(reading.mrzValid, false);
  assert.equal(item(reading.items, 'documentNumberCheckDigit')?.status, 'FAIL');
  assert.equal(item(reading.items, 'birthDateCheckDigit')?.status, 'OK');
  assert.ok(reading.reasons.includes('mrz_check_digit_failed'));
  assert.equal(reading.fields?.documentNumber, 'L898902C3');
});

test('an expired passport reads but fails expirationDateValidity', async () => {
  const reading = await reader.read(await generatePassport({ ...SPEC, expiryDate: '2021-01-31' }));
  assert.equal(reading.mrzValid, true);
  assert.equal(item(reading.items, 'expirationDateValidity')?.status, 'FAIL');
  assert.deepEqual(reading.reasons, ['document_expired']);
});

test('a blank page is no document, and a new photo may fix that', async () => {
  const blank = await sharp({ create: { width: 1000, height: 700, channels: 3, background: '#f4f1ea' } }).jpeg().toBuffer();
  const reading = await reader.read(blank);
  assert.equal(reading.fields, null);
  assert.equal(reading.mrzValid, false);
  assert.deepEqual(reading.reasons, ['document_not_found']);
  assert.equal(reading.retryable, true);
});

test('bytes that are not an image are reported, not thrown', async () => {
  const reading = await reader.read(new TextEncoder().encode('not an image'));
  assert.equal(reading.fields, null);
  assert.deepEqual(reading.reasons, ['image_unreadable']);
  assert.equal(reading.retryable, true);
});

test('a passport photographed 20° askew on a table is squared up and read', async () => {
  const reading = await reader.read(await rotate(-20)(await generatePassport(SPEC)));
  assert.equal(reading.mrzValid, true, reading.reasons.join());
  assert.equal(reading.fields?.documentNumber, 'L898902C3');
  assert.deepEqual(reading.reasons, []);
});

test('a 12-megapixel photo is read on a working copy of bounded size', async () => {
  const spec = { ...SPEC, documentNumber: 'W5583016' };
  const page = await generatePassport(spec);
  const huge = await sharp({ create: { width: 4032, height: 3024, channels: 3, background: '#6b5d4f' } })
    .composite([{ input: await sharp(page).resize({ width: 2600 }).toBuffer(), left: 700, top: 600 }]).jpeg({ quality: 90 }).toBuffer();
  const reading = await reader.read(huge);
  assert.equal(reading.mrzValid, true, JSON.stringify(reading.reasons));
  assert.equal(reading.fields?.documentNumber, spec.documentNumber);
});

test('a portrait 12-megapixel photo is read with its whole-page pass scaled to a bounded area', async () => {
  // The page sits above the bottom band the MRZ crops look at: only the whole-page pass (1 200 × 1 600
  // instead of 1 500 × 2 000) finds the MRZ, on a page 714 px wide.
  const spec = { ...SPEC, documentNumber: 'P7730154' };
  const page = await generatePassport(spec);
  const tall = await sharp({ create: { width: 3024, height: 4032, channels: 3, background: '#6b5d4f' } })
    .composite([{ input: await sharp(page).resize({ width: 1800 }).toBuffer(), left: 600, top: 1000 }]).jpeg({ quality: 90 }).toBuffer();
  const reading = await reader.read(tall);
  assert.equal(reading.mrzValid, true, JSON.stringify(reading.reasons));
  assert.equal(reading.fields?.documentNumber, spec.documentNumber);
  assert.equal(reading.fields?.surname, 'SMITH');
});
