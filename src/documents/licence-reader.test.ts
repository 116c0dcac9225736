// Image round trip for US / Canadian licences: synthetic card → worker pool → fields and checks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import * as degrade from '../../test/support/degrade.ts';
import { generateDriverLicence } from '../../test/support/synthetic-licence.ts';
import type { SyntheticLicenceSpec } from '../../test/support/synthetic-licence.ts';
import { createDocumentReader } from './index.ts';
import type { DocumentReader, DocumentReading } from './index.ts';

const portrait = readFileSync(new URL('../../test/fixtures/faces/genuine/london_002/1.jpg', import.meta.url));
const SPEC: SyntheticLicenceSpec = {
  country: 'USA', jurisdiction: 'IL', surname: 'García-López', firstName: 'José', middleNames: 'María',
  documentNumber: 'G1234567', birthDate: '1985-07-15', expiryDate: '2031-02-03', sex: 'M', portrait,
};
const status = (reading: DocumentReading, key: string) => reading.items.find((item) => item.key === key)?.status;

let reader: DocumentReader;
before(() => { reader = createDocumentReader({ maxThreads: 1 }); });
after(() => reader.close());

test('a generated licence is read back exactly from its barcode and cross-checked with its front', async () => {
  const { front, back } = await generateDriverLicence(SPEC);
  const reading = await reader.read(front, back, { expectedName: 'José María García-López' });
  assert.deepEqual(reading.fields, {
    documentType: 'driver_licence', source: 'pdf417', issuingCountry: 'USA', nationality: '', documentNumber: 'G1234567',
    surname: 'GARCIA-LOPEZ', givenNames: 'JOSE MARIA', birthDate: '1985-07-15', expiryDate: '2031-02-03', sex: 'M',
  });
  assert.deepEqual(reading.reasons, []);
  assert.equal(reading.retryable, false);
  assert.deepEqual(reading.items.map((item) => `${item.key}:${item.status}`), [
    'documentClassification:OK', 'barcode2DDetected:OK', '2DBarcodeContent:OK', 'expirationDateValidity:OK', 'birthDateValidity:OK',
    'fullNameCrosscheck:OK', 'birthDateCrosscheck:OK', 'documentNumberCrosscheck:OK', 'nameMatch:OK',
  ]);
  assert.deepEqual(reading.quality.map((item) => item.key), [
    'sharpnessFront', 'glareFront', 'documentSizeFront', 'framingFront', 'exposureFront',
    'sharpnessBack', 'glareBack', 'documentSizeBack', 'framingBack', 'exposureBack',
  ]);
  assert.ok(reading.quality.every((item) => item.status === 'OK'), JSON.stringify(reading.quality));
});

test('a back photographed at ±8° is read', async () => {
  const { front, back } = await generateDriverLicence({ ...SPEC, country: 'CAN', jurisdiction: 'ON', documentNumber: 'T7654-32109-87654' });
  for (const degrees of [8, -8]) {
    const reading = await reader.read(front, await degrade.rotate(degrees)(back));
    assert.equal(reading.fields?.documentNumber, 'T7654-32109-87654', `${degrees}°`);
    assert.equal(reading.fields?.birthDate, '1985-07-15');
    assert.deepEqual(reading.reasons, []);
  }
});

test('a front showing another name than the barcode fails fullNameCrosscheck', async () => {
  const { front, back } = await generateDriverLicence({ ...SPEC, front: { surname: 'Johnson', firstName: 'Peter', middleNames: '' } });
  const reading = await reader.read(front, back);
  assert.equal(status(reading, 'fullNameCrosscheck'), 'FAIL');
  assert.deepEqual(reading.reasons, ['name_crosscheck_failed']);
});

test('an expired licence reads but fails expirationDateValidity', async () => {
  const { front, back } = await generateDriverLicence({ ...SPEC, expiryDate: '2022-03-31' });
  const reading = await reader.read(front, back);
  assert.equal(status(reading, 'expirationDateValidity'), 'FAIL');
  assert.deepEqual(reading.reasons, ['document_expired']);
  assert.equal(reading.retryable, false);
});

test('a back uploaded as the front asks for the front', async () => {
  const { back } = await generateDriverLicence(SPEC);
  const reading = await reader.read(back);
  assert.deepEqual(reading.reasons, ['document_wrong_side']);
  assert.equal(reading.retryable, true);
});

test('another person than the invitation names fails nameMatch', async () => {
  const { front, back } = await generateDriverLicence(SPEC);
  const reading = await reader.read(front, back, { expectedName: 'Jane Doe' });
  assert.equal(status(reading, 'nameMatch'), 'FAIL');
  assert.deepEqual(reading.reasons, ['name_mismatch']);
});

test('a blurred back is a capture problem, not a verdict', async () => {
  const { front, back } = await generateDriverLicence(SPEC);
  const reading = await reader.read(front, await degrade.blur(4)(back));
  assert.deepEqual(reading.reasons, ['document_blurry']);
  assert.equal(reading.retryable, true);
});
