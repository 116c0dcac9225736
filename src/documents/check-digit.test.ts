import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeCheckDigit, isCheckDigitValid } from './check-digit.ts';

test('ICAO 9303 specimen fields have the published check digits', () => {
  assert.equal(computeCheckDigit('L898902C3'), '6');
  assert.equal(computeCheckDigit('740812'), '2');
  assert.equal(computeCheckDigit('120415'), '9');
  assert.equal(computeCheckDigit('D23145890'), '7');
  assert.equal(computeCheckDigit('ZE184226B'), '1');
  assert.equal(computeCheckDigit('<<<<<<<<<<<<<<'), '0');
});

test('TD3 specimen composite check digit', () => {
  const line2 = 'L898902C36UTO7408122F1204159ZE184226B<<<<<10';
  const composite = line2.slice(0, 10) + line2.slice(13, 20) + line2.slice(21, 43);
  assert.equal(computeCheckDigit(composite), '0');
});

test('characters outside the MRZ alphabet have no check digit', () => {
  assert.equal(computeCheckDigit('L89890 C3'), null);
  assert.equal(computeCheckDigit('l898902c3'), null);
});

test('filler check digit is accepted only for empty optional data when allowed', () => {
  assert.equal(isCheckDigitValid('<<<<<<<<<<<<<<', '<', true), true);
  assert.equal(isCheckDigitValid('<<<<<<<<<<<<<<', '<'), false);
  assert.equal(isCheckDigitValid('ZE184226B<<<<<', '<', true), false);
  assert.equal(isCheckDigitValid('ZE184226B<<<<<', '1', true), true);
  assert.equal(isCheckDigitValid('L898902C3', '7'), false);
});
