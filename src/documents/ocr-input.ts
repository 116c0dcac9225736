/** RGBA pixels as @gutenye/ocr-common's ImageRaw holds them. */
interface RgbaImage {
  data: ArrayLike<number>;
  width: number;
  height: number;
}

interface Normalisation {
  mean?: readonly number[];
  std?: readonly number[];
}

/**
 * The model input @gutenye/ocr-common builds from an image: planar B, G, R (in that order) of
 * `(value / 255 - mean) / std`. Same numbers as its own `ModelBase.imageToInput`, which pushes
 * every pixel into three JavaScript arrays and spreads them (~120 ms and a few hundred MB of
 * garbage per passport page); this writes one Float32Array.
 */
export function imageToInput(image: RgbaImage, { mean = [0, 0, 0], std = [1, 1, 1] }: Normalisation = {}) {
  const { data } = image;
  const n = Math.floor(data.length / 4);
  const out = new Float32Array(3 * n);
  const [meanR = 0, meanG = 0, meanB = 0] = mean;
  const [stdR = 1, stdG = 1, stdB = 1] = std;
  for (let p = 0, i = 0; p < n; p++, i += 4) {
    out[p] = (data[i + 2]! / 255 - meanB) / stdB;
    out[n + p] = (data[i + 1]! / 255 - meanG) / stdG;
    out[2 * n + p] = (data[i]! / 255 - meanR) / stdR;
  }
  return { data: out, width: image.width, height: image.height };
}

interface ModelBaseClass {
  prototype: { imageToInput: typeof imageToInput };
}

/** @gutenye/ocr-common's model base class (not exported by the package: loaded by path, the same module its models use). */
export async function loadOcrModelBase(): Promise<ModelBaseClass> {
  const file = new URL('./models/ModelBase.js', import.meta.resolve('@gutenye/ocr-common'));
  return ((await import(file.href)) as { ModelBase: ModelBaseClass }).ModelBase;
}

/** Swaps the library's per-pixel input conversion for imageToInput (equal output: ocr-input.test.ts). */
export async function installFastOcrInput(): Promise<void> {
  (await loadOcrModelBase()).prototype.imageToInput = imageToInput;
}
