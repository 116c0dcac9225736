import { createDotKernel } from './dot-kernel.ts';
import type { DotKernel } from './dot-kernel.ts';

export interface TemplateMatch {
  id: string;
  /** faceSimilarity of the query and the stored template (cosine clamped to 0..1). */
  similarity: number;
}

const PAGE = 65_536;

/**
 * In-memory 1:N search over face templates: brute force over unit-length f32 rows stored
 * contiguously in WebAssembly memory, one SIMD dot product per identity (dot-kernel.ts).
 * Exact (no approximation); measured with bench/template-index.ts (docs/face-matching.md).
 * Limit: rows live in one wasm32 memory (4 GiB), i.e. ~8 million 128-d templates.
 * Pure: persistence is the caller's (rebuild from the identity store on start).
 */
export class TemplateIndex {
  readonly #kernel: DotKernel = createDotKernel();
  #dimensions = 0;
  /** Floats per row: dimensions padded to a multiple of 4 (one SIMD lane group). */
  #stride = 0;
  #ids: string[] = [];
  readonly #slots = new Map<string, number>();

  /** `dimensions` fixes the template length up front; otherwise the first template added sets it. */
  constructor(dimensions = 0) {
    this.#setDimensions(dimensions);
  }

  #setDimensions(dimensions: number): void {
    this.#dimensions = dimensions;
    this.#stride = Math.ceil(dimensions / 4) * 4;
  }

  get size(): number {
    return this.#ids.length;
  }

  /** Adds a template, or replaces the one stored under `id`. */
  add(id: string, template: readonly number[]): void {
    if (this.#dimensions === 0 && template.length > 0) this.#setDimensions(template.length);
    if (template.length !== this.#dimensions || template.length === 0) {
      throw new RangeError(`template has ${template.length} dimensions, index holds ${this.#dimensions}`);
    }
    const unit = normalised(template);
    if (!unit) throw new RangeError('template is all zeros');
    let slot = this.#slots.get(id);
    if (slot === undefined) {
      slot = this.#ids.length;
      this.#reserve(slot + 1);
      this.#ids.push(id);
      this.#slots.set(id, slot);
    }
    // Write the whole padded row: the tail may hold scores of an earlier search.
    const row = new Float32Array(this.#stride);
    row.set(unit);
    new Float32Array(this.#kernel.memory.buffer, this.#rowOffset(slot), this.#stride).set(row);
  }

  /** Removes `id`; returns whether it was there. The last row moves into the hole. */
  remove(id: string): boolean {
    const slot = this.#slots.get(id);
    if (slot === undefined) return false;
    const last = this.#ids.length - 1;
    if (slot !== last) {
      const floats = new Float32Array(this.#kernel.memory.buffer);
      const from = this.#rowOffset(last) / 4;
      floats.copyWithin(this.#rowOffset(slot) / 4, from, from + this.#stride);
      const moved = this.#ids[last]!;
      this.#ids[slot] = moved;
      this.#slots.set(moved, slot);
    }
    this.#ids.pop();
    this.#slots.delete(id);
    return true;
  }

  /** Up to `limit` stored templates with similarity >= threshold, best first. */
  search(template: readonly number[], options: { threshold: number; limit: number }): TemplateMatch[] {
    const query = template.length === this.#dimensions ? normalised(template) : null;
    const n = this.#ids.length;
    if (!query || options.limit <= 0 || n === 0) return [];
    const out = this.#rowOffset(n);
    this.#ensureBytes(out + n * 4);
    const padded = new Float32Array(this.#stride);
    padded.set(query);
    new Float32Array(this.#kernel.memory.buffer, 0, this.#stride).set(padded);
    this.#kernel.scan(this.#rowOffset(0), n, this.#stride * 4, 0, out);
    const scores = new Float32Array(this.#kernel.memory.buffer, out, n);
    const best: TemplateMatch[] = [];
    for (let slot = 0; slot < n; slot++) {
      const similarity = Math.min(1, Math.max(0, scores[slot]!));
      if (similarity < options.threshold) continue;
      if (best.length === options.limit && similarity <= best[best.length - 1]!.similarity) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]!.similarity < similarity) at--;
      best.splice(at, 0, { id: this.#ids[slot]!, similarity });
      if (best.length > options.limit) best.pop();
    }
    return best;
  }

  /** Byte offset of a row: the query occupies the first row-sized block of memory. */
  #rowOffset(slot: number): number {
    return (slot + 1) * this.#stride * 4;
  }

  #reserve(rows: number): void {
    // Room for the rows and the per-row scores; grow geometrically so adds stay amortised O(1).
    const needed = this.#rowOffset(rows) + rows * 4;
    const have = this.#kernel.memory.buffer.byteLength;
    if (needed > have) this.#ensureBytes(Math.max(needed, Math.min(have * 2, 4 * 1024 ** 3 - PAGE)));
  }

  #ensureBytes(bytes: number): void {
    const have = this.#kernel.memory.buffer.byteLength;
    if (bytes > have) this.#kernel.memory.grow(Math.ceil((bytes - have) / PAGE));
  }
}

function normalised(template: readonly number[]): Float32Array | null {
  let norm = 0;
  for (const x of template) norm += x * x;
  if (!(norm > 0) || !Number.isFinite(norm)) return null;
  const scale = 1 / Math.sqrt(norm);
  return Float32Array.from(template, (x) => x * scale);
}
