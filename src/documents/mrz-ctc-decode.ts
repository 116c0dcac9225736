// Decoding one MRZ line from the recogniser's CTC scores under the line's grammar: exactly its
// length, each position in its character class. Pure.
//
// A CTC recogniser emits one distribution per frame (a few pixels of the line); the greedy string
// keeps each frame's best symbol, merges repeats and drops blanks, so a filler run of 20 '<' read
// with too few blank frames between them comes out as 14. Here the best alignment (Viterbi) is
// found among those that spell a string of the right length in the right classes: the frames
// where the recogniser hesitated between '<' and blank give up the missing fillers, the cheapest
// places first.
import { MRZ_SYMBOLS, SCORE_COLUMNS } from './ctc-scores.ts';
import type { CtcScores } from './ctc-scores.ts';
import { applyPositionalClasses } from './mrz-normalize.ts';

export interface DecodedLine {
  line: string;
  /** Log probability of the best alignment. */
  score: number;
  /** How much less likely than the unconstrained best path (the greedy string's) it is, in nats (≥ 0). */
  loss: number;
  /**
   * Per position: the recogniser's own choice at that place — some frame the character occupies
   * has it as its best symbol (or as a letter/digit the positional classes fold onto it, which the
   * greedy path would also have done). False where only the grammar put it there.
   */
  topChoice: boolean[];
  /**
   * Positions where the decode dropped a character the greedy string has: j when it sat between
   * characters j - 1 and j (or inside character j's frames). A deletion is a change too.
   */
  dropped: number[];
  /** Per position, other symbols of its class and what they would cost on the same frames (log, ≤ 0), best first. */
  alternatives: Array<Array<{ symbol: string; cost: number }>>;
}

const SYMBOLS = MRZ_SYMBOLS.length;
const LETTERS = /[A-Z<]/;
const DIGITS = /[0-9<]/;
/** Alternatives costing more than this (×1/50 in probability) are not worth a check digit's vote. */
const MAX_ALTERNATIVE_COST = Math.log(50);

/** The symbols each class allows: A letter or filler, N digit or filler, X any; `only` narrows further. */
function allowedSymbols(kind: string, only: string | undefined): Uint8Array {
  return Uint8Array.from(MRZ_SYMBOLS, (symbol) => Number((only === undefined || only.includes(symbol))
    && (kind === 'X' || (kind === 'A' ? LETTERS : DIGITS).test(symbol))));
}

/**
 * The best string of `classes.length` characters, position i in class classes[i] (and among
 * `only.get(i)` where given), under the scores; null when the line has too few frames to spell
 * that many characters.
 */
export function decodeUnderGrammar(scores: CtcScores, classes: string, only: ReadonlyMap<number, string> = new Map()): DecodedLine | null {
  const { frames, logProbs } = scores;
  const length = classes.length;
  if (length === 0 || frames < length) return null;
  const allowed = Array.from(classes, (kind, index) => allowedSymbols(kind, only.get(index)));
  const allowedList = allowed.map((mask) => Int8Array.from([...mask].flatMap((flag, k) => (flag ? [k] : []))));
  // on[i][k]: the frame shows symbol k as character i; blank[j]: a blank after j characters.
  let on = new Float64Array(length * SYMBOLS).fill(-Infinity);
  let nextOn = new Float64Array(length * SYMBOLS);
  let blank = new Float64Array(length + 1).fill(-Infinity);
  let nextBlank = new Float64Array(length + 1);
  // Back-pointers: for on, -1 stayed, -2 came from a blank, k >= 0 came from character i - 1 showing k; for blank, -1 stayed, k from on[j - 1][k].
  const onFrom = new Int8Array(frames * length * SYMBOLS);
  const blankFrom = new Int8Array(frames * (length + 1));
  blank[0] = logProbs[0]!;
  for (const k of allowedList[0]!) { on[k] = logProbs[k + 1]!; onFrom[k] = -2; }
  // Per character: its best and second-best symbol on the previous frame (a repeat needs a blank between).
  const best = new Float64Array(length);
  const bestSymbol = new Int8Array(length);
  const second = new Float64Array(length);
  const secondSymbol = new Int8Array(length);
  for (let frame = 1; frame < frames; frame++) {
    const row = frame * SCORE_COLUMNS;
    const reachable = Math.min(length, frame + 1);
    for (let i = 0; i < reachable; i++) {
      let top = -Infinity; let topK = -1; let next = -Infinity; let nextK = -1;
      const symbols = allowedList[i]!;
      for (let n = 0; n < symbols.length; n++) {
        const k = symbols[n]!;
        const value = on[i * SYMBOLS + k]!;
        if (value > top) { next = top; nextK = topK; top = value; topK = k; } else if (value > next) { next = value; nextK = k; }
      }
      best[i] = top; bestSymbol[i] = topK; second[i] = next; secondSymbol[i] = nextK;
    }
    nextOn.fill(-Infinity);
    const onBase = frame * length * SYMBOLS;
    const blankBase = frame * (length + 1);
    const blankHere = logProbs[row]!;
    for (let j = 0; j <= length; j++) {
      let value = blank[j]!;
      let from = -1;
      if (j > 0 && j - 1 < reachable && best[j - 1]! > value) { value = best[j - 1]!; from = bestSymbol[j - 1]!; }
      nextBlank[j] = value + blankHere;
      blankFrom[blankBase + j] = from;
    }
    for (let i = 0; i < reachable; i++) {
      const fromBlank = blank[i]!;
      const symbols = allowedList[i]!;
      for (let n = 0; n < symbols.length; n++) {
        const k = symbols[n]!;
        let value = on[i * SYMBOLS + k]!;
        let from = -1;
        if (fromBlank > value) { value = fromBlank; from = -2; }
        if (i > 0) {
          const repeat = bestSymbol[i - 1] === k;
          const previous = repeat ? second[i - 1]! : best[i - 1]!;
          if (previous > value) { value = previous; from = repeat ? secondSymbol[i - 1]! : bestSymbol[i - 1]!; }
        }
        nextOn[i * SYMBOLS + k] = value + logProbs[row + k + 1]!;
        onFrom[onBase + i * SYMBOLS + k] = from;
      }
    }
    [on, nextOn] = [nextOn, on];
    [blank, nextBlank] = [nextBlank, blank];
  }
  return backtrack(scores, classes, allowed, on, blank, onFrom, blankFrom);
}

function backtrack(
  scores: CtcScores, classes: string, allowed: Uint8Array[], on: Float64Array, blank: Float64Array, onFrom: Int8Array, blankFrom: Int8Array,
): DecodedLine | null {
  const { frames, logProbs } = scores;
  const length = classes.length;
  let state: { i: number; k: number } | { j: number };
  let score = blank[length]!;
  state = { j: length };
  for (let k = 0; k < SYMBOLS; k++) if (on[(length - 1) * SYMBOLS + k]! > score) [score, state] = [on[(length - 1) * SYMBOLS + k]!, { i: length - 1, k }];
  if (score === -Infinity) return null;
  const symbols = new Int8Array(length);
  const spans: number[][] = Array.from({ length }, () => []);
  /** Per frame: the character it shows, or -(j + 1) for a blank after j characters. */
  const owner = new Int16Array(frames);
  for (let frame = frames - 1; frame >= 0; frame--) {
    owner[frame] = 'j' in state ? -(state.j + 1) : state.i;
    if ('j' in state) {
      const from = blankFrom[frame * (length + 1) + state.j]!;
      if (from >= 0) state = { i: state.j - 1, k: from };
      continue;
    }
    symbols[state.i] = state.k;
    spans[state.i]!.push(frame);
    const from = onFrom[frame * length * SYMBOLS + state.i * SYMBOLS + state.k]!;
    if (from === -2) state = { j: state.i };
    else if (from >= 0) state = { i: state.i - 1, k: from };
  }
  const line = Array.from(symbols, (k) => MRZ_SYMBOLS[k]!).join('');
  const topChoice = spans.map((span, i) => span.some((frame) => {
    const top = frameArgmax(logProbs, frame);
    return top > 0 && applyPositionalClasses(MRZ_SYMBOLS[top - 1]!, classes[i]!).line === line[i];
  }));
  const alternatives = spans.map((span, i) => {
    const own = symbols[i]!;
    const costs: Array<{ symbol: string; cost: number }> = [];
    for (let k = 0; k < SYMBOLS; k++) {
      if (k === own || !allowed[i]![k]) continue;
      const cost = span.reduce((sum, frame) => sum + logProbs[frame * SCORE_COLUMNS + k + 1]! - logProbs[frame * SCORE_COLUMNS + own + 1]!, 0);
      if (cost > -MAX_ALTERNATIVE_COST) costs.push({ symbol: MRZ_SYMBOLS[k]!, cost });
    }
    return costs.sort((a, b) => b.cost - a.cost);
  });
  const dropped = droppedCharacters(logProbs, frames, owner, line, classes);
  let free = 0;
  for (let frame = 0; frame < frames; frame++) free += logProbs[frame * SCORE_COLUMNS + frameArgmax(logProbs, frame)]!;
  return { line, score, loss: Math.max(0, free - score), topChoice, dropped, alternatives };
}

/**
 * Greedy emissions (a frame whose best symbol is not the blank and differs from the frame
 * before) that no decoded character accounts for: each character accounts for one emission of
 * its own symbol (or one the positional classes fold onto it) within its frames.
 */
function droppedCharacters(logProbs: Float32Array, frames: number, owner: Int16Array, line: string, classes: string): number[] {
  const matched = new Set<number>();
  const dropped: number[] = [];
  let previous = 0;
  for (let frame = 0; frame < frames; frame++) {
    const top = frameArgmax(logProbs, frame);
    if (top > 0 && top !== previous) {
      const i = owner[frame]!;
      const symbol = MRZ_SYMBOLS[top - 1]!;
      if (i >= 0 && !matched.has(i) && applyPositionalClasses(symbol, classes[i]!).line === line[i]) matched.add(i);
      else dropped.push(i >= 0 ? i : -i - 1);
    }
    previous = top;
  }
  return dropped;
}

function frameArgmax(logProbs: Float32Array, frame: number): number {
  let best = 0;
  for (let column = 1; column < SCORE_COLUMNS; column++) {
    if (logProbs[frame * SCORE_COLUMNS + column]! > logProbs[frame * SCORE_COLUMNS + best]!) best = column;
  }
  return best;
}
