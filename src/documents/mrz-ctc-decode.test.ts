// The grammar-constrained CTC decoder on synthetic probability matrices: what the greedy string
// loses, what the length and class constraints and the check digits recover, and what they may not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MRZ_SYMBOLS, SCORE_COLUMNS } from './ctc-scores.ts';
import type { CtcScores, OcrLine } from './ctc-scores.ts';
import { buildTd3 } from './mrz-builder.ts';
import type { MrzData } from './mrz-builder.ts';
import { decodeUnderGrammar } from './mrz-ctc-decode.ts';
import { decodedLineCandidates } from './mrz-line-candidates.ts';
import { isStructurallyValid, readMrzText } from './read-mrz-text.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const DATA: MrzData = {
  documentCode: 'P', issuingCountry: 'GBR', nationality: 'GBR', surname: 'Lindqvist', givenNames: 'Anna Maria',
  documentNumber: 'X4K7219B2', birthDate: '1974-08-12', expiryDate: '2032-04-15', sex: 'F',
};

/** One frame: the probability of each named symbol; the rest of the mass is the blank's. */
type Frame = Readonly<Record<string, number>>;

function scoresOf(frames: readonly Frame[]): CtcScores {
  const logProbs = new Float32Array(frames.length * SCORE_COLUMNS).fill(Math.log(1e-6));
  frames.forEach((frame, index) => {
    const symbolMass = Object.values(frame).reduce((sum, p) => sum + p, 0);
    logProbs[index * SCORE_COLUMNS] = Math.log(Math.max(1e-6, 1 - symbolMass));
    for (const [symbol, p] of Object.entries(frame)) logProbs[index * SCORE_COLUMNS + MRZ_SYMBOLS.indexOf(symbol) + 1] = Math.log(p);
  });
  return { frames: frames.length, logProbs };
}

/** A clean read of `text`: each character on one frame, a blank frame after it. */
const framesOf = (text: string): Frame[] => [...text].flatMap((char) => [{ [char]: 0.95 }, {}]);

/** What the greedy decoder makes of the frames: best symbol per frame, repeats merged, blanks dropped. */
function greedy(frames: readonly Frame[]): string {
  let out = '';
  let previous = '';
  for (const frame of frames) {
    const [symbol, p] = Object.entries(frame).sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    const top = p > 1 - Object.values(frame).reduce((sum, q) => sum + q, 0) ? symbol : '';
    if (top && top !== previous) out += top;
    previous = top;
  }
  return out;
}

/** A filler pair read without a clear blank between them: the greedy string has one '<'. */
const MERGED_PAIR: Frame[] = [{ '<': 0.6 }, { '<': 0.55 }, { '<': 0.6 }, {}];

/** Filler runs read in merged pairs: the greedy string keeps half of them. */
function mergedFillers(text: string): Frame[] {
  return [...text.matchAll(/<+|[^<]+/g)].flatMap(([part]) => (part.startsWith('<')
    ? [...framesOf(part.slice(0, part.length % 2)), ...Array.from({ length: part.length >> 1 }, () => MERGED_PAIR).flat()]
    : framesOf(part)));
}

test('a filler dropped by the greedy decoder is recovered by the line length', () => {
  // Three fillers, but the frames between them lean to '<' rather than to a blank.
  const frames = [...framesOf('AB'), { '<': 0.9 }, { '<': 0.55 }, { '<': 0.9 }, { '<': 0.6 }, { '<': 0.9 }, {}, ...framesOf('CD')];
  assert.equal(greedy(frames), 'AB<CD');
  assert.equal(decodeUnderGrammar(scoresOf(frames), 'AAAAAA')?.line, 'AB<<CD');
  const decoded = decodeUnderGrammar(scoresOf(frames), 'AAAAAAA');
  assert.equal(decoded?.line, 'AB<<<CD');
  assert.ok(decoded.topChoice.every(Boolean), 'every filler sits on frames that showed a filler');
});

test('positional classes pick the letter or digit the recogniser ranked second', () => {
  const frames: Frame[] = [{ O: 0.6, '0': 0.3 }, {}, { '5': 0.55, S: 0.4 }, {}];
  assert.equal(decodeUnderGrammar(scoresOf(frames), 'NA')?.line, '0S');
  assert.equal(decodeUnderGrammar(scoresOf(frames), 'XX')?.line, 'O5');
});

test('a line with fewer frames than characters cannot be spelt', () => {
  assert.equal(decodeUnderGrammar(scoresOf(framesOf('AB')), 'A'.repeat(5)), null);
});

test('an MRZ whose filler runs the greedy string under-counts reads valid with the scores, not without', () => {
  // A seven-character number: its filler run and the personal number's are both short.
  const lines = buildTd3({ ...DATA, documentNumber: 'X4K7219' });
  const frames = lines.map(mergedFillers);
  const greedyLines = frames.map(greedy);
  assert.ok(greedyLines.every((line, index) => line.length < lines[index]!.length - 2), 'more than one run is short');
  assert.ok(!readMrzText(greedyLines, NOW) || !isStructurallyValid(readMrzText(greedyLines, NOW)!));
  const withScores: OcrLine[] = greedyLines.map((text, index) => ({ text, scores: scoresOf(frames[index]!) }));
  const reading = readMrzText(withScores, NOW);
  assert.ok(reading && isStructurallyValid(reading));
  assert.deepEqual(reading.lines, lines);
});

test('a check digit chooses between two readings of a date digit', () => {
  const [line1, line2] = buildTd3(DATA);
  // Birth date 740812: the recogniser prefers 3 over the printed 8 at its fifth digit.
  const birthDigit = 13 + 4;
  assert.equal(line2[birthDigit], '1');
  const misread = [...line2].map((char, index) => (index === birthDigit ? '7' : char)).join('');
  const frames = framesOf(line2).map((frame, index) => (index === 2 * birthDigit ? { '7': 0.55, '1': 0.4 } : frame));
  assert.equal(greedy(frames), misread);
  const candidates = decodedLineCandidates(scoresOf(frames), 'TD3', 1).map((candidate) => candidate.line);
  assert.deepEqual(candidates.slice(0, 2), [line2, misread]);
  const reading = readMrzText([line1, { text: misread, scores: scoresOf(frames) }], NOW);
  assert.ok(reading && isStructurallyValid(reading));
  assert.equal(reading.fields.birthDate, '1974-08-12');
  // Without the scores the greedy string fails its check digit and nothing says which digit is wrong.
  assert.ok(!isStructurallyValid(readMrzText([line1, misread], NOW)!));
});

test('a document-number character only the grammar supplied is refused unless the printed zone shows the number', () => {
  const [line1, line2] = buildTd3(DATA);
  // The recogniser saw the number's 'K' only weakly: the greedy string drops it.
  const kFrame = 2 * 2;
  const frames = framesOf(line2).map((frame, index) => (index === kFrame ? { K: 0.3 } : frame));
  const text = greedy(frames);
  assert.equal(text, line2.slice(0, 2) + line2.slice(3));
  const candidates = decodedLineCandidates(scoresOf(frames), 'TD3', 1);
  assert.equal(candidates[0]?.line, line2);
  assert.equal(candidates[0]?.numberForced, true);
  const ocr = [line1, { text, scores: scoresOf(frames) }];
  const unconfirmed = readMrzText(ocr, NOW);
  assert.ok(unconfirmed && !isStructurallyValid(unconfirmed));
  assert.equal(unconfirmed.numberUnclear, true);
  const confirmed = readMrzText(ocr, NOW, ['Passport No. X4K7219B2']);
  assert.ok(confirmed && isStructurallyValid(confirmed));
  assert.equal(confirmed.fields.documentNumber, 'X4K7219B2');
});

test('a number the recogniser read itself needs no printed zone', () => {
  const [line1, line2] = buildTd3(DATA);
  const reading = readMrzText([{ text: line1, scores: scoresOf(framesOf(line1)) }, { text: line2, scores: scoresOf(framesOf(line2)) }], NOW);
  assert.ok(reading && isStructurallyValid(reading));
  assert.equal(reading.numberUnclear, false);
});

test('a number character the decode drops to fit the length counts as a change of the number', () => {
  const [, line2] = buildTd3(DATA);
  // An extra '7' read inside the number: the line is one character too long.
  const frames = [...framesOf(line2.slice(0, 4)), { '7': 0.9 }, {}, ...framesOf(line2.slice(4))];
  const decoded = decodeUnderGrammar(scoresOf(frames), 'X'.repeat(44));
  assert.deepEqual(decoded?.dropped.length, 1);
  const candidates = decodedLineCandidates(scoresOf(frames), 'TD3', 1);
  assert.ok(candidates.every((candidate) => candidate.numberForced));
});

test("the recogniser's runner-up for a number character is accepted only when the printed number shows it", () => {
  const [line1, line2] = buildTd3(DATA);
  // 'X4K7219B2' with the 'K' read as 'R' (0.6) over 'K' (0.35), a pair the look-alike table
  // does not hold: the number's check digit fails.
  const k = line2.indexOf('K');
  const frames = framesOf(line2).map((frame, index) => (index === 2 * k ? { R: 0.6, K: 0.35 } : frame));
  const ocr = [line1, { text: greedy(frames), scores: scoresOf(frames) }];
  const unconfirmed = readMrzText(ocr, NOW);
  assert.ok(unconfirmed && !isStructurallyValid(unconfirmed));
  const confirmed = readMrzText(ocr, NOW, ['X4K7219B2']);
  assert.ok(confirmed && isStructurallyValid(confirmed));
  assert.equal(confirmed.fields.documentNumber, 'X4K7219B2');
  // A printed number that differs is no confirmation; the greedy text alone has no runner-up.
  assert.ok(!isStructurallyValid(readMrzText(ocr, NOW, ['X4K7219B3'])!));
  assert.ok(!isStructurallyValid(readMrzText([line1, greedy(frames)], NOW, ['X4K7219B2'])!));
});

test('a nationality letter only the grammar supplied is a guess: that decode is not offered', () => {
  const [, line2] = buildTd3(DATA);
  // The 'B' of GBR seen by no frame: the line is one character short there.
  const frames = [...framesOf(line2.slice(0, 11)), {}, ...framesOf(line2.slice(12))];
  assert.equal(greedy(frames), line2.slice(0, 11) + line2.slice(12));
  assert.deepEqual(decodedLineCandidates(scoresOf(frames), 'TD3', 1), []);
});
