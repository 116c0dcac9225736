import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataCipher } from './data-cipher.ts';
import { hashSecret, verifySecret } from './secret-hash.ts';

const cipher = new DataCipher('unit-test-master-key-0123456789abcdef');

test('encrypts and decrypts, with a fresh IV each time', () => {
  const a = cipher.encrypt(Buffer.from('passport scan'), 'ctx');
  const b = cipher.encrypt(Buffer.from('passport scan'), 'ctx');
  assert.notDeepEqual(a, b);
  assert.equal(cipher.decrypt(a, 'ctx').toString(), 'passport scan');
  assert.deepEqual(cipher.decryptJson(cipher.encryptJson({ n: 1 }, 'j'), 'j'), { n: 1 });
});

test('a ciphertext moved to another context, tampered with, or read with another key fails', () => {
  const sealed = cipher.encrypt(Buffer.from('x'), 'session:1:image:face');
  assert.throws(() => cipher.decrypt(sealed, 'session:2:image:face'));
  const tampered = Buffer.from(sealed);
  tampered[tampered.length - 1]! ^= 1;
  assert.throws(() => cipher.decrypt(tampered, 'session:1:image:face'));
  assert.throws(() => new DataCipher('another-master-key-0123456789abcdef!').decrypt(sealed, 'session:1:image:face'), /VERID_MASTER_KEY is not the key this database was encrypted with/);
});

test('blind indexes are stable per key and purpose', () => {
  assert.equal(cipher.blindIndex('GBR|X1', 'document'), cipher.blindIndex('GBR|X1', 'document'));
  assert.notEqual(cipher.blindIndex('GBR|X1', 'document'), cipher.blindIndex('GBR|X1', 'other'));
  assert.notEqual(cipher.blindIndex('GBR|X1', 'document'), new DataCipher('another-master-key-0123456789abcdef!').blindIndex('GBR|X1', 'document'));
});

test('secret hashes verify only the original secret', () => {
  const hash = hashSecret('s3cret');
  assert.match(hash, /^sha256:/);
  assert.equal(verifySecret('s3cret', hash), true);
  assert.equal(verifySecret('s3cret ', hash), false);
});

test('during a rotation: new data under the current key, old data still readable, lookups under both keys', () => {
  const old = new DataCipher('old-master-key-0123456789abcdefghijk');
  const sealed = old.encrypt(Buffer.from('face template'), 'identity:1:face');
  const rotating = new DataCipher('new-master-key-0123456789abcdefghijk', 'old-master-key-0123456789abcdefghijk');
  assert.equal(rotating.decrypt(sealed, 'identity:1:face').toString(), 'face template');
  assert.equal(rotating.isCurrent(sealed), false);
  const resealed = rotating.encrypt(Buffer.from('face template'), 'identity:1:face');
  assert.equal(rotating.isCurrent(resealed), true);
  assert.throws(() => old.decrypt(resealed, 'identity:1:face'), /VERID_MASTER_KEY is not the key/);
  assert.throws(() => rotating.decrypt(sealed, 'identity:2:face'), 'still bound to its context');
  assert.deepEqual(rotating.blindIndexes('GBR|X1', 'document'), [rotating.blindIndex('GBR|X1', 'document'), old.blindIndex('GBR|X1', 'document')]);
  assert.deepEqual(old.blindIndexes('GBR|X1', 'document'), [old.blindIndex('GBR|X1', 'document')]);

  const newOnly = new DataCipher('new-master-key-0123456789abcdefghijk');
  assert.throws(() => newOnly.decrypt(sealed, 'identity:1:face'), /set the original as VERID_MASTER_KEY_PREVIOUS and run `verid rekey`/);
  const wrongPrevious = new DataCipher('new-master-key-0123456789abcdefghijk', 'not-the-old-key-0123456789abcdefghij');
  assert.throws(() => wrongPrevious.decrypt(sealed, 'identity:1:face'), /^ConfigError: neither VERID_MASTER_KEY nor VERID_MASTER_KEY_PREVIOUS is the key/);
});
