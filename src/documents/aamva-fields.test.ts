import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildAamvaPayload } from '../../test/support/aamva-payload.ts';
import { aamvaDate, readAamva } from './aamva-fields.ts';

// The sample of the AAMVA DL/ID Card Design Standard 2020 (annex D), with its jurisdiction subfile.
const AAMVA_SAMPLE = '@\n\x1e\rANSI 636000100002DL00410278ZV03190008DLDAQT64235789\nDCSSAMPLE\nDDEN\nDACMICHAEL\nDDFN\nDADJOHN\nDDGN\nDCUJR\nDCAD\nDCBK\nDCDPH\nDBD06062019\nDBB06061986\nDBA12102024\nDBC1\nDAU068 in\nDAYBRO\nDAG2300 WEST BROAD STREET\nDAIRICHMOND\nDAJVA\nDAK232690000  \nDCF2424244747474786102204\nDCGUSA\nDCK123456789\nDDAF\nDDB06062018\nDDC06062020\nDDD1\rZVZVA01\r';

test('the AAMVA 2020 sample is read field for field', () => {
  const reading = readAamva(AAMVA_SAMPLE);
  assert.ok(reading);
  assert.equal(reading.valid, true);
  assert.equal(reading.version, '10');
  assert.deepEqual(reading.fields, {
    documentType: 'driver_licence', source: 'pdf417', issuingCountry: 'USA', nationality: '', documentNumber: 'T64235789',
    surname: 'SAMPLE', givenNames: 'MICHAEL JOHN', birthDate: '1986-06-06', expiryDate: '2024-12-10', sex: 'M',
  });
});

test('a Canadian payload writes dates year first', () => {
  const reading = readAamva(buildAamvaPayload({
    country: 'CAN', jurisdiction: 'ON', surname: 'Tremblay', firstName: 'Élise', documentNumber: 'T7654-32109-87654',
    birthDate: '1992-11-03', expiryDate: '2029-11-03', sex: 'F',
  }));
  assert.ok(reading?.valid);
  assert.equal(reading.fields.issuingCountry, 'CAN');
  assert.equal(reading.fields.givenNames, 'ELISE');
  assert.equal(reading.fields.birthDate, '1992-11-03');
  assert.equal(reading.fields.expiryDate, '2029-11-03');
  assert.equal(aamvaDate('20291103', 'CAN'), '2029-11-03');
  assert.equal(aamvaDate('11032029', 'USA'), '2029-11-03');
  assert.equal(aamvaDate('13452029', 'USA'), null);
});

test('a payload without its mandatory elements is read but not valid', () => {
  const payload = buildAamvaPayload({
    country: 'USA', jurisdiction: 'TX', surname: 'Doe', firstName: 'Jane', documentNumber: '12345678',
    birthDate: '1980-01-31', expiryDate: '2030-01-31', sex: 'X',
  }).replace(/\nDBB\d+/, '\nDBB99999999');
  const reading = readAamva(payload);
  assert.ok(reading);
  assert.equal(reading.valid, false);
  assert.deepEqual(reading.invalidElements, ['DBB']);
  assert.equal(reading.fields.sex, 'X');
});

test('text that is not AAMVA is not read', () => {
  assert.equal(readAamva('https://example.com/ticket/123'), null);
});
