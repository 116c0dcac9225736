import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDocument } from './check-document.ts';
import type { DocumentFields, MrzChecks, ScoreItem } from './types.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const FIELDS: DocumentFields = {
  documentType: 'passport', source: 'mrz', mrzFormat: 'TD3', issuingCountry: 'GBR', nationality: 'GBR', documentNumber: 'L898902C3',
  surname: 'SMITH', givenNames: 'JOHN PETER', birthDate: '1974-08-12', expiryDate: '2032-04-15', sex: 'M',
};
const ALL_OK: MrzChecks = { documentNumber: true, birthDate: true, expiryDate: true, personalNumber: true, composite: true };

const item = (items: ScoreItem[], key: string) => items.find((candidate) => candidate.key === key);

test('a valid, unexpired document passes every item with no reasons', () => {
  const { items, reasons } = checkDocument(FIELDS, ALL_OK, NOW);
  assert.deepEqual(reasons, []);
  assert.ok(items.every((entry) => entry.status === 'OK'), JSON.stringify(items));
  assert.deepEqual(item(items, 'documentClassification'), { key: 'documentClassification', value: 'passport', status: 'OK' });
});

test('an expired document fails expirationDateValidity', () => {
  const { items, reasons } = checkDocument({ ...FIELDS, expiryDate: '2026-05-31' }, ALL_OK, NOW);
  assert.equal(item(items, 'expirationDateValidity')?.status, 'FAIL');
  assert.deepEqual(reasons, ['document_expired']);
});

test('a document expiring today is still valid', () => {
  const { reasons } = checkDocument({ ...FIELDS, expiryDate: '2026-06-01' }, ALL_OK, NOW);
  assert.deepEqual(reasons, []);
});

test('a future or implausibly old birth date fails birthDateValidity', () => {
  for (const birthDate of ['2026-06-02', '1890-01-01', null]) {
    const { items, reasons } = checkDocument({ ...FIELDS, birthDate }, ALL_OK, NOW);
    assert.equal(item(items, 'birthDateValidity')?.status, 'FAIL', String(birthDate));
    assert.deepEqual(reasons, ['birth_date_invalid']);
  }
});

test('a failed check digit fails its item and adds one reason', () => {
  const { items, reasons } = checkDocument(FIELDS, { ...ALL_OK, documentNumber: false, composite: false }, NOW);
  assert.equal(item(items, 'documentNumberCheckDigit')?.status, 'FAIL');
  assert.equal(item(items, 'compositeCheckDigit')?.status, 'FAIL');
  assert.equal(item(items, 'birthDateCheckDigit')?.status, 'OK');
  assert.deepEqual(reasons, ['mrz_check_digit_failed']);
});

test('no MRZ gives UNKNOWN items and mrz_not_found', () => {
  const { items, reasons } = checkDocument(null, null, NOW);
  assert.deepEqual(reasons, ['mrz_not_found']);
  assert.ok(items.every((entry) => entry.status === 'UNKNOWN' && entry.value === null));
  assert.deepEqual(items.map((entry) => entry.key), [
    'documentClassification', 'documentNumberCheckDigit', 'birthDateCheckDigit', 'expirationDateCheckDigit',
    'compositeCheckDigit', 'expirationDateValidity', 'birthDateValidity',
  ]);
});
