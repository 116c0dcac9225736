import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mrzNameField, splitNameField, transliterateName } from './transliterate.ts';

test('names are transliterated to the MRZ alphabet', () => {
  assert.equal(transliterateName('Müller-Lüdenscheidt'), 'MUELLER<LUEDENSCHEIDT');
  assert.equal(transliterateName("O'Connor"), 'OCONNOR');
  assert.equal(transliterateName('García Márquez'), 'GARCIA<MARQUEZ');
  assert.equal(transliterateName('Bjørn  Ærø'), 'BJOERN<AEROE');
  assert.equal(transliterateName('Zoë'), 'ZOE');
});

test('the name field is filled or truncated to its length and splits back', () => {
  assert.equal(mrzNameField('Smith', 'John Peter', 20), 'SMITH<<JOHN<PETER<<<');
  assert.equal(mrzNameField('Schwarzenegger-Kuklinski', 'Maximilian', 30), 'SCHWARZENEGGER<KUKLINSKI<<MAXI');
  assert.deepEqual(splitNameField('SMITH<<JOHN<PETER<<<'), { surname: 'SMITH', givenNames: 'JOHN PETER' });
  assert.deepEqual(splitNameField('MADONNA<<<<<<<<'), { surname: 'MADONNA', givenNames: '' });
});
