import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crossCheckPrinted, printedDates } from './printed-crosscheck.ts';
import type { DocumentFields, ScoreItem } from './types.ts';

const FIELDS: DocumentFields = {
  documentType: 'driver_licence', source: 'pdf417', issuingCountry: 'USA', nationality: '', documentNumber: 'G1234567',
  surname: 'GARCIA-LOPEZ', givenNames: 'JOSE MARIA', birthDate: '1985-07-15', expiryDate: '2030-02-03', sex: 'F',
};
const FRONT = ['ILLINOIS', 'DRIVER LICENSE', '4d DLN G1234567', '1 GARCÍA-LÓPEZ', '2 JOSÉ MARÍA', '3 DOB 07/15/1985', '4b EXP 02/03/2030'];
const statuses = (items: ScoreItem[]) => Object.fromEntries(items.map((item) => [item.key, item.status]));

test('barcode data printed on the front passes every cross-check', () => {
  const { items, reasons } = crossCheckPrinted(FIELDS, FRONT);
  assert.deepEqual(statuses(items), { fullNameCrosscheck: 'OK', birthDateCrosscheck: 'OK', documentNumberCrosscheck: 'OK' });
  assert.deepEqual(reasons, []);
});

test('a front showing another name fails fullNameCrosscheck', () => {
  const front = FRONT.map((line) => line.replace('GARCÍA-LÓPEZ', 'JOHNSON').replace('JOSÉ MARÍA', 'PETER'));
  const { items, reasons } = crossCheckPrinted(FIELDS, front);
  assert.equal(statuses(items).fullNameCrosscheck, 'FAIL');
  assert.deepEqual(reasons, ['name_crosscheck_failed']);
});

test('another surname fails even when a given name is the same', () => {
  const { items } = crossCheckPrinted(FIELDS, FRONT.map((line) => line.replace('GARCÍA-LÓPEZ', 'JOHNSON')));
  assert.equal(statuses(items).fullNameCrosscheck, 'FAIL');
});

test('a birth date or number not found on the front warns (OCR has no check digits)', () => {
  const { items, reasons } = crossCheckPrinted({ ...FIELDS, birthDate: '1985-07-16', documentNumber: 'G7654321' }, FRONT);
  assert.deepEqual(statuses(items), { fullNameCrosscheck: 'OK', birthDateCrosscheck: 'WARN', documentNumberCrosscheck: 'WARN' });
  assert.deepEqual(reasons, []);
});

test('no printed text leaves the cross-checks UNKNOWN', () => {
  const { items } = crossCheckPrinted(FIELDS, []);
  assert.deepEqual(statuses(items), { fullNameCrosscheck: 'UNKNOWN', birthDateCrosscheck: 'UNKNOWN', documentNumberCrosscheck: 'UNKNOWN' });
});

test('printed dates are read in the usual national forms', () => {
  assert.ok(printedDates('Date of birth 12 AUG 1974').has('1974-08-12'));
  assert.ok(printedDates('12AUG1974').has('1974-08-12'));
  assert.ok(printedDates('DOB 07/15/1985').has('1985-07-15'));
  assert.ok(printedDates('1992/11/03').has('1992-11-03'));
  assert.ok(printedDates('03.11.1992').has('1992-11-03'));
});
