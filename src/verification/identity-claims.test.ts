import assert from 'node:assert/strict';
import { test } from 'node:test';
import { properCase } from './identity-claims.ts';
import { sniffImageType } from './image-format.ts';

test('MRZ names are shown in proper case', () => {
  assert.equal(properCase('OLIVIA ROSE'), 'Olivia Rose');
  assert.equal(properCase("O'NEIL-SMITH"), "O'Neil-Smith");
  assert.equal(properCase(''), '');
});

test('image types are recognised from their bytes', () => {
  assert.equal(sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0])), 'image/jpeg');
  assert.equal(sniffImageType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'image/png');
  assert.equal(sniffImageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 ')), 'image/webp');
  assert.equal(sniffImageType(Buffer.from('GIF89a')), null);
  assert.equal(sniffImageType(Buffer.alloc(0)), null);
});
