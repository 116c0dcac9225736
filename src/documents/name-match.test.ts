import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkExpectedName, nameMatch } from './name-match.ts';

const status = (expected: string, surname: string, givenNames: string) => nameMatch(expected, { surname, givenNames }).status;

test('diacritics, hyphens, order and middle names do not matter', () => {
  assert.equal(status('José María García-López', 'GARCIA LOPEZ', 'JOSE MARIA'), 'OK');
  assert.equal(status('García-López, José', 'GARCIA LOPEZ', 'JOSE MARIA'), 'OK');
  assert.equal(status('John Smith', 'SMITH', 'JOHN PETER'), 'OK');
  assert.equal(status('John Peter Smith', 'SMITH', 'JOHN'), 'OK');
  assert.equal(status('Anna Müller', 'MUELLER', 'ANNA'), 'OK');
  assert.equal(status('Anna Mueller', 'MULLER', 'ANNA'), 'OK');
});

test('near spellings and initials only warn', () => {
  assert.equal(status('Jon Smith', 'SMITH', 'JOHN'), 'WARN');
  assert.equal(status('Alexander Ivanov', 'IVANOV', 'ALEKSANDR'), 'WARN');
  assert.equal(status('J. Smith', 'SMITH', 'JOHN'), 'WARN');
  // An MRZ truncated at the end of the field.
  assert.equal(status('Anna Maria Schwarzenegger-Kuklinski', 'SCHWARZENEGGER KUKLINSKI', 'AN'), 'WARN');
});

test('another person fails', () => {
  assert.equal(status('Jane Doe', 'SMITH', 'JOHN'), 'FAIL');
  assert.equal(status('John Doe', 'SMITH', 'JOHN'), 'FAIL');
  assert.equal(status('Mary Smith', 'SMITH', 'JOHN'), 'FAIL');
});

test('the value is the share of document name words found exactly', () => {
  assert.deepEqual(nameMatch('John Smith', { surname: 'SMITH', givenNames: 'JOHN PETER' }), { key: 'nameMatch', value: 0.67, status: 'OK' });
  assert.deepEqual(nameMatch('', { surname: 'SMITH', givenNames: 'JOHN' }), { key: 'nameMatch', value: null, status: 'UNKNOWN' });
});

test('checkExpectedName: a mismatch is name_mismatch, a near match name_near_match, a match no reason', () => {
  const fields = { surname: 'SMITH', givenNames: 'JOHN PAUL' };
  assert.deepEqual(checkExpectedName('John Smith', fields).reasons, []);
  assert.deepEqual(checkExpectedName('Jon Smith', fields), { item: nameMatch('Jon Smith', fields), reasons: ['name_near_match'] });
  assert.deepEqual(checkExpectedName('Mary Jones', fields).reasons, ['name_mismatch']);
  assert.deepEqual(checkExpectedName('', fields).reasons, [], 'UNKNOWN: nothing to say');
});
