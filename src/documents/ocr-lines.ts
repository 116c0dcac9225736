// From recognised text boxes to text lines, as @gutenye/ocr-common's Recognition.run does it, but
// keeping each box's CTC scores. Pure.
import { joinScores } from './ctc-scores.ts';
import type { CtcScores, OcrLine } from './ctc-scores.ts';

type Point = readonly [number, number];

export interface RecognisedBox {
  /** Corners clockwise from the top left, in detector pixels. */
  box: readonly [Point, Point, Point, Point];
  text: string;
  /** Mean probability of the emitted characters. */
  confidence: number;
  scores: CtcScores;
}

/** The library drops boxes read with less confidence than this. */
const MIN_CONFIDENCE = 0.5;

/**
 * Greedy CTC decoding of one box, the library's way: the best entry per frame, repeats merged,
 * blanks (column 0) dropped. `probs` is [frames × (dictionary + 1)].
 */
export function greedyText(probs: ArrayLike<number>, frames: number, dictionary: readonly string[]): { text: string; confidence: number } {
  const width = dictionary.length + 1;
  let text = '';
  let sum = 0;
  let count = 0;
  let previous = -1;
  for (let frame = 0; frame < frames; frame++) {
    let best = 0;
    for (let column = 1; column < width; column++) if (probs[frame * width + column]! > probs[frame * width + best]!) best = column;
    if (best !== 0 && best !== previous) {
      text += dictionary[best - 1];
      sum += probs[frame * width + best]!;
      count++;
    }
    previous = best;
  }
  return { text, confidence: count === 0 ? 0 : sum / count };
}

const midline = (box: RecognisedBox['box']) => (box[0][1] + box[2][1]) / 2;

/**
 * Boxes whose midlines lie within half the mean box height of a line's first box join that line,
 * left to right; lines top to bottom. `boxes` in the detector's order; the library visits them in
 * reverse, which decides ties.
 */
export function groupIntoLines(boxes: readonly RecognisedBox[], widened: ReadonlyMap<number, CtcScores> = new Map()): OcrLine[] {
  const wider = new Map([...widened].map(([index, scores]) => [boxes[index]!, scores]));
  const kept = [...boxes].reverse().filter((box) => box.confidence >= MIN_CONFIDENCE);
  if (kept.length === 0) return [];
  const meanHeight = kept.reduce((sum, { box }) => sum + box[2][1] - box[0][1], 0) / kept.length;
  const lines: RecognisedBox[][] = [];
  for (const box of kept) {
    const line = lines.find((candidate) => Math.abs(midline(candidate[0]!.box) - midline(box.box)) < meanHeight / 2);
    if (line) line.push(box);
    else lines.push([box]);
  }
  for (const line of lines) line.sort((a, b) => a.box[0][0] - b.box[0][0]);
  lines.sort((a, b) => a[0]!.box[0][1] - b[0]!.box[0][1]);
  return lines.map((line) => {
    const text = line.map((box) => box.text).join(' ');
    const scores = joinScores(line.map((box) => box.scores));
    // A widened read runs to the line's end: it replaces the line's last box and everything after it.
    const last = line.at(-1)!;
    const widenedLast = wider.get(last);
    return widenedLast ? { text, scores, widerScores: joinScores([...line.slice(0, -1).map((box) => box.scores), widenedLast]) } : { text, scores };
  });
}

type Box = RecognisedBox['box'];

/** The longest MRZ line (TD3) in characters. */
const LONGEST_MRZ_LINE = 44;
/** Not worth a second read for less than this many missing characters. */
const MIN_WIDENING = 2;

/**
 * The box of an MRZ-looking line of `length` characters stretched along its own direction to hold
 * the longest MRZ line at the pitch it was read at, within `imageWidth`; null when it already
 * does. PaddleOCR's detector often ends a box where a run of fillers starts, so the end of the
 * line (fillers, the composite check digit) never reaches the recogniser.
 */
export function widenedBox(box: Box, length: number, imageWidth: number): Box | null {
  const [topLeft, topRight, bottomRight, bottomLeft] = box;
  const width = Math.hypot(topRight[0] - topLeft[0], topRight[1] - topLeft[1]);
  if (length === 0 || width === 0) return null;
  const pitch = width / length;
  const [ux, uy] = [(topRight[0] - topLeft[0]) / width, (topRight[1] - topLeft[1]) / width];
  const reach = Math.min(LONGEST_MRZ_LINE * pitch, ux > 0 ? (imageWidth - 1 - Math.max(topLeft[0], bottomLeft[0])) / ux : 0);
  if (reach < width + MIN_WIDENING * pitch) return null;
  const along = (point: Point): Point => [point[0] + ux * reach, point[1] + uy * reach];
  return [topLeft, along(topLeft), along(bottomLeft), bottomLeft];
}
