import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageToInput, loadOcrModelBase } from './ocr-input.ts';

test('imageToInput gives the same model input as the OCR library’s own conversion', async () => {
  const ModelBase = await loadOcrModelBase();
  const original = ModelBase.prototype.imageToInput;
  const width = 7;
  const height = 5;
  const data = Uint8Array.from({ length: width * height * 4 }, (_, i) => (i * 37 + 11) % 256);
  const image = { data, width, height };
  for (const options of [{}, { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }, { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] }]) {
    const expected = original.call({}, image, options);
    const actual = imageToInput(image, options);
    assert.equal(actual.width, expected.width);
    assert.equal(actual.height, expected.height);
    assert.equal(actual.data.length, expected.data.length);
    // float32 here, float64 there: equal to float32 precision
    for (let i = 0; i < actual.data.length; i++) assert.ok(Math.abs(actual.data[i]! - (expected.data[i] as number)) < 1e-6, `element ${i}`);
  }
});
