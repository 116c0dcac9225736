// The recogniser's per-timestep character probabilities, folded onto the MRZ alphabet. Pure.
import { normalizeOcrLine } from './mrz-normalize.ts';

/** The MRZ alphabet; column 0 of CtcScores is the CTC blank, column k + 1 is MRZ_SYMBOLS[k]. */
export const MRZ_SYMBOLS = '<0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const SCORE_COLUMNS = MRZ_SYMBOLS.length + 1;

/**
 * Natural-log probabilities, `frames` rows of SCORE_COLUMNS. Everything the recogniser's dictionary
 * holds outside the MRZ alphabet (and its look-alikes) counts as blank: normalizeOcrLine drops
 * those characters from the greedy text too, so both readings see the same line.
 */
export interface CtcScores {
  frames: number;
  logProbs: Float32Array;
}

/**
 * One recognised text line: the greedy text, and the scores behind it when the engine keeps them;
 * `widerScores`: a second read of the line stretched past where the detector ended it.
 */
export interface OcrLine {
  text: string;
  scores?: CtcScores;
  widerScores?: CtcScores;
}

export const ocrLineText = (line: string | OcrLine): string => (typeof line === 'string' ? line : line.text);

/** For each dictionary entry, the MRZ column it stands for (lower case, filler and Cyrillic look-alikes folded), or 0. */
export function mrzColumnsOf(dictionary: readonly string[]): Int8Array {
  return Int8Array.from(dictionary, (entry) => {
    const folded = normalizeOcrLine(entry);
    return folded.length === 1 && entry.trim().length === 1 ? MRZ_SYMBOLS.indexOf(folded) + 1 : 0;
  });
}

const FLOOR = 1e-12;

/**
 * Folds a [frames × (dictionary + 1)] softmax output (column 0 blank, column i dictionary[i - 1])
 * onto the MRZ columns. Only the few entries that map to an MRZ symbol are read per frame: the
 * rest of the mass is the blank's.
 */
export function foldScores(probs: ArrayLike<number>, frames: number, columns: Int8Array): CtcScores {
  const width = columns.length + 1;
  const mapped: Array<[number, number]> = [];
  columns.forEach((column, index) => { if (column > 0) mapped.push([index + 1, column]); });
  const logProbs = new Float32Array(frames * SCORE_COLUMNS);
  const row = new Float64Array(SCORE_COLUMNS);
  for (let frame = 0; frame < frames; frame++) {
    row.fill(0);
    const base = frame * width;
    let symbols = 0;
    for (const [source, column] of mapped) {
      const p = probs[base + source]!;
      row[column]! += p;
      symbols += p;
    }
    row[0] = Math.max(0, 1 - symbols);
    for (let column = 0; column < SCORE_COLUMNS; column++) logProbs[frame * SCORE_COLUMNS + column] = Math.log(Math.max(row[column]!, FLOOR));
  }
  return { frames, logProbs };
}

/** Segments of one text line (the detector may cut a line in pieces), with a blank frame between them. */
export function joinScores(parts: readonly CtcScores[]): CtcScores {
  const frames = parts.reduce((sum, part) => sum + part.frames, 0) + Math.max(0, parts.length - 1);
  const logProbs = new Float32Array(frames * SCORE_COLUMNS);
  let offset = 0;
  parts.forEach((part, index) => {
    if (index > 0) {
      logProbs.fill(Math.log(FLOOR), offset * SCORE_COLUMNS, (offset + 1) * SCORE_COLUMNS);
      logProbs[offset * SCORE_COLUMNS] = 0;
      offset++;
    }
    logProbs.set(part.logProbs, offset * SCORE_COLUMNS);
    offset += part.frames;
  });
  return { frames, logProbs };
}
