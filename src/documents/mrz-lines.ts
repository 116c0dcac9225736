// Locating MRZ lines among OCR text lines and restoring their fixed length.
import { MRZ_LAYOUTS } from './mrz-format.ts';
import type { MrzFormat } from './mrz-format.ts';
import { normalizeOcrLine } from './mrz-normalize.ts';

export interface MrzLineGroup {
  format: MrzFormat;
  lines: string[];
  /** Indices of the grouped lines in the OCR output, so the rest can serve as the visual zone. */
  sourceIndices: number[];
}

const MAX_LENGTH_ERROR = 8;
/**
 * How much shorter than its format a line may read when the recogniser's scores came with it: the
 * grammar-constrained decode restores dropped fillers however many runs lost them (mrz-ctc-decode.ts).
 */
const MAX_DECODABLE_SHORTFALL = 16;

/** Text that could be an MRZ line: long, almost only [A-Z0-9<], with fillers. */
export function looksLikeMrz(raw: string, normalized: string): boolean {
  const compact = raw.replace(/\s/g, '');
  return normalized.length >= 20 && normalized.length >= compact.length * 0.9 && /[<K]{2}|</.test(normalized);
}

/**
 * Consecutive OCR lines whose lengths fit TD1, TD2 or TD3, best fit first; `decodable`: indices of
 * lines with CTC scores. A name line ending in a filler may be any shorter: the rest is padding.
 */
export function findMrzLineGroups(ocrLines: readonly string[], decodable: ReadonlySet<number> = new Set()): MrzLineGroup[] {
  const candidates = ocrLines
    .map((raw, index) => ({ index, line: normalizeOcrLine(raw), raw }))
    .filter((entry) => looksLikeMrz(entry.raw, entry.line));
  const scored: Array<MrzLineGroup & { error: number }> = [];
  for (const format of ['TD3', 'TD2', 'TD1'] as const) {
    const { lineCount, lineLength } = MRZ_LAYOUTS[format];
    for (let start = 0; start + lineCount <= candidates.length; start++) {
      const window = candidates.slice(start, start + lineCount);
      const errors = window.map((entry) => Math.abs(entry.line.length - lineLength));
      const nameLine = format === 'TD1' ? 2 : 0;
      const fits = (entry: (typeof window)[number], error: number, index: number) => error <= MAX_LENGTH_ERROR
        || (entry.line.length < lineLength && (error <= MAX_DECODABLE_SHORTFALL && decodable.has(entry.index)
          || index === nameLine && entry.line.endsWith('<')));
      if (!window.every((entry, index) => fits(entry, errors[index]!, index))) continue;
      scored.push({
        format,
        lines: window.map((entry) => entry.line),
        sourceIndices: window.map((entry) => entry.index),
        error: errors.reduce((sum, error) => sum + error, 0) / lineCount,
      });
    }
  }
  return scored.sort((a, b) => a.error - b.error).map(({ error: _error, ...group }) => group);
}

/**
 * Length repairs for one line: OCR drops or duplicates '<' inside filler runs, so only filler runs
 * are lengthened or shortened, longest run first (the likeliest place for a miscount). A line
 * that cannot be fixed that way yields no candidate.
 */
export function fitLineLength(line: string, length: number): string[] {
  if (line.length === length) return [line];
  const delta = length - line.length;
  const runs = [...line.matchAll(/<+/g)]
    .map((run) => ({ start: run.index, length: run[0].length }))
    .filter((run) => run.length + delta >= 1)
    .sort((a, b) => b.length - a.length);
  const results = runs.map((run) =>
    line.slice(0, run.start) + '<'.repeat(run.length + delta) + line.slice(run.start + run.length));
  return [...new Set(results)];
}
