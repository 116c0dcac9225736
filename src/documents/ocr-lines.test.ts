// Greedy decoding and line grouping as @gutenye/ocr-common does them, with the scores kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldScores, MRZ_SYMBOLS, mrzColumnsOf, SCORE_COLUMNS } from './ctc-scores.ts';
import { greedyText, groupIntoLines, widenedBox } from './ocr-lines.ts';
import type { RecognisedBox } from './ocr-lines.ts';

const DICTIONARY = ['a', 'B', '«', '1', '中', ' '];

/** [frames × (dictionary + 1)] probabilities: each frame all on one column (0 blank). */
function oneHot(columns: readonly number[]): Float32Array {
  const probs = new Float32Array(columns.length * (DICTIONARY.length + 1));
  columns.forEach((column, frame) => { probs[frame * (DICTIONARY.length + 1) + column] = 1; });
  return probs;
}

test('greedy text merges repeated frames, drops blanks and keeps a repeat split by a blank', () => {
  assert.deepEqual(greedyText(oneHot([1, 1, 0, 1, 2, 2, 3]), 7, DICTIONARY), { text: 'aaB«', confidence: 1 });
  assert.deepEqual(greedyText(oneHot([0, 0]), 2, DICTIONARY), { text: '', confidence: 0 });
});

test('scores fold look-alikes onto MRZ symbols and everything else onto the blank', () => {
  const columns = mrzColumnsOf(DICTIONARY);
  assert.deepEqual([...columns], [MRZ_SYMBOLS.indexOf('A') + 1, MRZ_SYMBOLS.indexOf('B') + 1, 1, MRZ_SYMBOLS.indexOf('1') + 1, 0, 0]);
  const probs = new Float32Array(DICTIONARY.length + 1);
  [probs[0], probs[1], probs[3], probs[5]] = [0.1, 0.2, 0.3, 0.4];
  const { logProbs } = foldScores(probs, 1, columns);
  assert.ok(Math.abs(Math.exp(logProbs[0]!) - 0.5) < 1e-6, 'blank + the Chinese character');
  assert.ok(Math.abs(Math.exp(logProbs[MRZ_SYMBOLS.indexOf('A') + 1]!) - 0.2) < 1e-6);
  assert.ok(Math.abs(Math.exp(logProbs[1]!) - 0.3) < 1e-6, "'«' is a filler");
  assert.equal(logProbs.length, SCORE_COLUMNS);
});

function box(x: number, y: number, text: string, confidence = 0.9): RecognisedBox {
  return {
    box: [[x, y], [x + 100, y], [x + 100, y + 20], [x, y + 20]], text, confidence,
    scores: { frames: 1, logProbs: new Float32Array(SCORE_COLUMNS) },
  };
}

test('boxes on one midline join left to right; lines run top to bottom; unsure boxes are dropped', () => {
  const lines = groupIntoLines([box(300, 105, 'MRZ<<TAIL'), box(0, 100, 'P<UTO'), box(0, 10, 'PASSPORT'), box(0, 50, '中', 0.3)]);
  assert.deepEqual(lines.map((line) => line.text), ['PASSPORT', 'P<UTO MRZ<<TAIL']);
  // Two segments, one blank frame between them, so a repeat across the cut stays two characters.
  assert.equal(lines[1]!.scores?.frames, 3);
});

test('an MRZ box cut short is stretched along its slope to hold 44 characters, within the page', () => {
  // 22 characters over 440 px, tilted 1 px in 100: the longest line needs 880 px.
  const box: RecognisedBox['box'] = [[100, 500], [540, 504.4], [540, 534.4], [100, 530]];
  const wider = widenedBox(box, 22, 2000);
  assert.ok(wider);
  assert.ok(Math.abs(Math.hypot(wider[1][0] - 100, wider[1][1] - 500) - 2 * Math.hypot(440, 4.4)) < 1e-6, "twice the box");
  assert.ok(Math.abs((wider[1][1] - 500) / (wider[1][0] - 100) - 0.01) < 1e-9, 'same slope');
  assert.ok(widenedBox(box, 22, 700)![1][0] <= 699, 'stops at the page edge');
  assert.equal(widenedBox(box, 44, 2000), null, 'a complete line is left alone');
});
