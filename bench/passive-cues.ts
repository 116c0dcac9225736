// Screen/moiré and print cues measured on ../shared/fixtures/faces/spoof (live vs attack):
// energy of the inner face in frequency bands (differences of Gaussian blurs, over its variance)
// and colour saturation, each as the AUC of "live scores higher than attack".
// Run: node bench/passive-cues.ts [--dir DIR]. LAST line: one JSON object {feature: auc, ..., live, attack}.
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createFaceMatcher } from '../src/biometrics/index.ts';

const { values: args } = parseArgs({ options: { dir: { type: 'string', default: resolve(import.meta.dirname, '../../shared/fixtures/faces') } } });
const dir = join(resolve(args.dir), 'spoof');
const SIDE = 160;
const matcher = createFaceMatcher({ maxThreads: 1 });
const rows: Array<{ set: string; features: number[] }> = [];

async function grey(image: Buffer, sigma: number | null): Promise<Float64Array> {
  const pipeline = sharp(image).greyscale();
  return new Float64Array(await (sigma ? pipeline.blur(sigma) : pipeline).raw().toBuffer());
}

/** Mean squared difference of two equally sized greyscale images. */
const energy = (a: Float64Array, b: Float64Array): number => a.reduce((sum, x, i) => sum + (x - b[i]!) ** 2, 0) / a.length;

/** Mean of (max - min) / max over the pixels: how colourful the face is. */
async function saturation(image: Buffer): Promise<number> {
  const { data } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let total = 0;
  for (let i = 0; i < data.length; i += 3) {
    const max = Math.max(data[i]!, data[i + 1]!, data[i + 2]!);
    const min = Math.min(data[i]!, data[i + 1]!, data[i + 2]!);
    total += max ? (max - min) / max : 0;
  }
  return total / (data.length / 3);
}

for (const set of ['live', 'attack']) {
  for (const file of (await readdir(join(dir, set))).sort()) {
    const bytes = await readFile(join(dir, set, file));
    const { box } = await matcher.analyze(bytes, 'selfie');
    if (!box) continue;
    // The inner face (central 70 % of the box), in the photo's upright pixels.
    const { width = 0, height = 0 } = await sharp(bytes).rotate().metadata();
    const left = Math.max(0, Math.round(box.x + box.width * 0.15));
    const top = Math.max(0, Math.round(box.y + box.height * 0.15));
    const region = { left, top, width: Math.min(width - left, Math.round(box.width * 0.7)), height: Math.min(height - top, Math.round(box.height * 0.7)) };
    const face = await sharp(bytes).rotate().extract(region).resize(SIDE, SIDE, { fit: 'fill' }).png().toBuffer();
    const [g0, g1, g2, g4] = await Promise.all([grey(face, null), grey(face, 1), grey(face, 2), grey(face, 4)]);
    const mean = g0.reduce((sum, x) => sum + x, 0) / g0.length;
    const variance = g0.reduce((sum, x) => sum + (x - mean) ** 2, 0) / g0.length;
    const [hf1, hf2, mf] = [energy(g0, g1), energy(g1, g2), energy(g2, g4)];
    rows.push({ set, features: [hf1 / variance, hf2 / variance, mf / variance, hf1 / Math.max(1e-9, hf2), await saturation(face)] });
  }
}
await matcher.close();
const names = ['hf1_over_var', 'hf2_over_var', 'mf_over_var', 'hf1_over_hf2', 'saturation'];
const result: Record<string, number> = {};
names.forEach((n, k) => {
  const live = rows.filter((r) => r.set === 'live').map((r) => r.features[k]!);
  const attack = rows.filter((r) => r.set === 'attack').map((r) => r.features[k]!);
  let wins = 0;
  for (const l of live) for (const a of attack) wins += l > a ? 1 : l === a ? 0.5 : 0;
  result[n] = Number((wins / (live.length * attack.length)).toFixed(3));
  console.log(`${n.padEnd(14)} AUC (live > attack) ${result[n]}`);
});
console.log(JSON.stringify({ ...result, live: rows.filter((r) => r.set === 'live').length, attack: rows.filter((r) => r.set === 'attack').length }));
