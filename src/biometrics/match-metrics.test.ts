import assert from 'node:assert/strict';
import { test } from 'node:test';
import { equalErrorRate, errorRatesAt, rateInterval95, thresholdForFar } from './match-metrics.ts';

const pairs = {
  genuine: [0.9, 0.8, 0.7, 0.6, Number.NEGATIVE_INFINITY],
  impostor: [0.1, 0.2, 0.3, 0.4, 0.5, 0.65, 0.2, 0.3, 0.1, 0.2],
};

test('FAR and FRR at a threshold; a missing template counts as a rejection', () => {
  assert.deepEqual(errorRatesAt(pairs, 0.6), { threshold: 0.6, far: 0.1, frr: 0.2 });
  assert.deepEqual(errorRatesAt(pairs, 0.95), { threshold: 0.95, far: 0, frr: 1 });
});

test('thresholdForFar picks the lowest threshold meeting the FAR target', () => {
  const point = thresholdForFar(pairs, 0);
  assert.equal(point.threshold, 0.7);
  assert.equal(point.far, 0);
  assert.equal(point.frr, 0.4);
});

test('equal error rate sits where FAR and FRR cross', () => {
  const separable = equalErrorRate({ genuine: [0.8, 0.9], impostor: [0.1, 0.2] });
  assert.equal(separable.eer, 0);
  const eer = equalErrorRate(pairs);
  assert.ok(eer.eer > 0 && eer.eer <= 0.2, `eer ${eer.eer}`);
});

test('rateInterval95: Wilson bounds around the observed rate, wide when trials are few', () => {
  const none = rateInterval95(0, 10_000);
  assert.equal(none.low, 0);
  assert.ok(none.high > 3e-4 && none.high < 4e-4, `upper bound ${none.high}`);
  const some = rateInterval95(23, 767);
  assert.ok(some.low < 23 / 767 && some.high > 23 / 767);
  assert.ok(some.low > 0.019 && some.high < 0.045, `${some.low}..${some.high}`);
  assert.deepEqual(rateInterval95(0, 0), { low: 0, high: 1 });
});
