import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextAttemptAt, parseRetrySchedule } from './retry-schedule.ts';

const DEFAULT = parseRetrySchedule('5,300,1800,7200,18000,36000,50400,72000,86400')!;

test('the default schedule: ten attempts over about three days, each delay within ±10 %', () => {
  const total = DEFAULT.reduce((sum, ms) => sum + ms, 0);
  assert.equal(DEFAULT.length + 1, 10);
  assert.equal(total, ((75 * 60 + 35) * 60 + 5) * 1000, '75 h 35 min 5 s after the first attempt');
  for (const [failed, base] of DEFAULT.entries()) {
    assert.equal(nextAttemptAt(DEFAULT, failed + 1, 0, null, () => 0), Math.round(base * 0.9));
    assert.equal(nextAttemptAt(DEFAULT, failed + 1, 0, null, () => 1), Math.round(base * 1.1));
  }
  assert.equal(nextAttemptAt(DEFAULT, DEFAULT.length + 1, 0), null, 'used up: dead');
});

test('Retry-After lengthens a wait, never shortens it, and is capped at a day', () => {
  assert.equal(nextAttemptAt(DEFAULT, 1, 0, 60, () => 0.5), 60_000);
  assert.equal(nextAttemptAt(DEFAULT, 2, 0, 1, () => 0.5), 300_000);
  assert.equal(nextAttemptAt(DEFAULT, 1, 0, 10 * 86_400, () => 0.5), 86_400_000);
});

test('schedules parse from comma-separated seconds', () => {
  assert.deepEqual(parseRetrySchedule('0.5, 2,60'), [500, 2000, 60_000]);
  for (const bad of ['', '5,,6', '-1', 'five']) assert.equal(parseRetrySchedule(bad), undefined, bad);
});
