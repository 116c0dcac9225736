// Where a PDF417 sits in a squared-up photo: a block of bars, so a region whose gradients run
// (almost) all one way. Cheap (one pass over a small grey image), so a failed decode can retry on
// the barcode alone, scaled up, instead of on the whole photo.
import type { Box, RawImage } from './image-measures.ts';
import { toGrey } from './image-measures.ts';
import { forEachStrongEdge } from './skew-angle.ts';

export interface BarcodeRegion {
  box: Box;
  /** The bars run vertically (upright card) or horizontally (quarter-turned card). */
  bars: 'vertical' | 'horizontal';
}

const CELL = 8;
/** Mean step across the bars (0–255 grey, between neighbouring pixels) below which a cell is blank paper. */
const MIN_CONTRAST = 12;
/** Widest flat run inside a barcode, in cells (the start pattern's 8-module bar at the largest work scale). */
const GAP = 4;
/** Bars: gradient across them at least this many times the gradient along them. Text is ~1–2. */
const MIN_DIRECTIONALITY = 2.5;
/** A region smaller than this share of the image is a stray stroke, not a barcode. */
const MIN_AREA = 0.01;
/** Margin added around the bars so the start and stop patterns and the quiet zone stay in the crop. */
const MARGIN = 0.06;

type Grid = { columns: number; rows: number; cells: Uint8Array };

/**
 * Per cell of CELL × CELL pixels, whether it looks like bars in the given direction: the cell's
 * profile across the bars (each value averaged along them, which also averages out sensor noise)
 * changes a lot, its profile along them hardly at all. Text changes both ways.
 */
function barCells(grey: Uint8Array, width: number, height: number, bars: BarcodeRegion['bars']): Grid {
  const columns = Math.floor(width / CELL);
  const rows = Math.floor(height / CELL);
  const cells = new Uint8Array(columns * rows);
  const columnMeans = new Float32Array(CELL);
  const rowMeans = new Float32Array(CELL);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      columnMeans.fill(0);
      rowMeans.fill(0);
      for (let y = 0; y < CELL; y++) {
        for (let x = 0; x < CELL; x++) {
          const value = grey[(row * CELL + y) * width + column * CELL + x]!;
          columnMeans[x]! += value / CELL;
          rowMeans[y]! += value / CELL;
        }
      }
      const [acrossProfile, alongProfile] = bars === 'vertical' ? [columnMeans, rowMeans] : [rowMeans, columnMeans];
      const across = variation(acrossProfile);
      cells[row * columns + column] = across >= MIN_CONTRAST && across >= MIN_DIRECTIONALITY * variation(alongProfile) ? 1 : 0;
    }
  }
  return closeAcross({ columns, rows, cells }, bars);
}

/** Mean absolute step between neighbours of a profile. */
function variation(profile: Float32Array): number {
  let sum = 0;
  for (let index = 1; index < profile.length; index++) sum += Math.abs(profile[index]! - profile[index - 1]!);
  return sum / (profile.length - 1);
}

/** Fills gaps of up to GAP cells across the bars: a wide bar (the start and stop patterns) is flat inside. */
function closeAcross(grid: Grid, bars: BarcodeRegion['bars']): Grid {
  const { columns, rows, cells } = grid;
  const closed = cells.slice();
  const step = bars === 'vertical' ? 1 : columns;
  const length = bars === 'vertical' ? columns : rows;
  for (let index = 0; index < cells.length; index++) {
    if (cells[index]) continue;
    const position = bars === 'vertical' ? index % columns : Math.floor(index / columns);
    let before = false;
    let after = false;
    for (let distance = 1; distance <= GAP; distance++) {
      if (position - distance >= 0 && cells[index - distance * step]) before = true;
      if (position + distance < length && cells[index + distance * step]) after = true;
    }
    if (before && after) closed[index] = 1;
  }
  return { columns, rows, cells: closed };
}

/** Bounding box (in cells) and size of the largest 8-connected group of bar cells. */
function largestGroup(grid: Grid): { box: Box; count: number } | null {
  const { columns, rows, cells } = grid;
  const seen = new Uint8Array(cells.length);
  let best: { box: Box; count: number } | null = null;
  for (let start = 0; start < cells.length; start++) {
    if (!cells[start] || seen[start]) continue;
    const stack = [start];
    seen[start] = 1;
    let [left, right, top, bottom, count] = [columns, 0, rows, 0, 0];
    while (stack.length > 0) {
      const index = stack.pop()!;
      const x = index % columns;
      const y = (index - x) / columns;
      [left, right, top, bottom] = [Math.min(left, x), Math.max(right, x), Math.min(top, y), Math.max(bottom, y)];
      count++;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= columns || ny >= rows) continue;
          const next = ny * columns + nx;
          if (cells[next] && !seen[next]) { seen[next] = 1; stack.push(next); }
        }
      }
    }
    if (!best || count > best.count) best = { box: { left, top, width: right - left + 1, height: bottom - top + 1 }, count };
  }
  return best;
}

/** The barcode's box in `image` pixels (with a quiet-zone margin), or null when nothing bar-like is there. */
export function findBarcodeRegion(image: RawImage): BarcodeRegion | null {
  const grey = toGrey(image);
  const { width, height } = image;
  let found: { region: BarcodeRegion; count: number } | null = null;
  for (const bars of ['vertical', 'horizontal'] as const) {
    const group = largestGroup(barCells(grey, width, height, bars));
    if (!group || (found && found.count >= group.count)) continue;
    const margin = Math.round(MARGIN * Math.max(group.box.width, group.box.height) * CELL);
    const left = Math.max(0, group.box.left * CELL - margin);
    const top = Math.max(0, group.box.top * CELL - margin);
    const right = Math.min(width, (group.box.left + group.box.width) * CELL + margin);
    const bottom = Math.min(height, (group.box.top + group.box.height) * CELL + margin);
    found = { region: { box: { left, top, width: right - left, height: bottom - top }, bars }, count: group.count };
  }
  if (!found || found.count * CELL * CELL < MIN_AREA * width * height) return null;
  return found.region;
}

/** Gradients within this angle of a direction vote for it when measuring the bars' and rows' slant. */
const SLANT_WINDOW = Math.PI / 6;

/**
 * How far the bars lean from vertical and the rows from horizontal, in degrees, in a crop of
 * upright bars. A camera that is not square to the card shears the symbol, so squaring up the
 * photo as a whole leaves both off by a few degrees, in different directions; the decoder follows
 * a codeword column down the image and loses it when the bars lean.
 */
export function barcodeSlant(image: RawImage): { bars: number; rows: number } {
  const sums = { barsCos: 0, barsSin: 0, rowsCos: 0, rowsSin: 0 };
  forEachStrongEdge(image, (gx, gy, weight) => {
    // Doubled angles: a gradient and its opposite (a bar's two edges) vote alike.
    const doubled = 2 * Math.atan2(gy, gx);
    const [cos, sin] = [Math.cos(doubled), Math.sin(doubled)];
    if (cos >= Math.cos(2 * SLANT_WINDOW)) { sums.barsCos += weight * cos; sums.barsSin += weight * sin; }
    if (cos <= -Math.cos(2 * SLANT_WINDOW)) { sums.rowsCos += weight * cos; sums.rowsSin += weight * sin; }
  });
  const degrees = (radians: number) => (radians * 180) / Math.PI;
  // A bar leaning by a has its gradient at −a; a row tilted by c has its gradient at 90° + c.
  const bars = sums.barsCos === 0 ? 0 : -degrees(Math.atan2(sums.barsSin, sums.barsCos) / 2);
  const rowAngle = Math.atan2(sums.rowsSin, sums.rowsCos) / 2;
  const rows = sums.rowsCos === 0 ? 0 : degrees(rowAngle < 0 ? rowAngle + Math.PI : rowAngle) - 90;
  return { bars, rows };
}
