import sharp from 'sharp';
import type { FaceDetection } from './choose-face.ts';
import type { DecodedImage } from './decode-image.ts';
import { faceTemplate } from './face-engine.ts';
import { measureFace } from './face-measurements.ts';
import { occlusionMeasures } from './occlusion.ts';
import type { FaceEngine } from './face-engine.ts';

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * How much to compute per face. Liveness frames are many (a burst of ~50): they skip the mirrored
 * descriptor and, on most frames, Human's passive models (docs/liveness.md).
 */
export interface DetectOptions {
  mirror: boolean;
  passive: boolean;
}

const FULL: DetectOptions = { mirror: true, passive: true };
// Human merges a per-call config into its own for good, so every call states both models.
const passiveModels = (enabled: boolean) => ({ face: { antispoof: { enabled }, liveness: { enabled } } });

/** Runs Human on one region of the decoded image; boxes come back in original-image pixels. */
async function detectInRegion(engine: FaceEngine, image: DecodedImage, region: Region, pad: number, options: DetectOptions): Promise<FaceDetection[]> {
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).extract(region);
  if (pad > 0) pipeline = pipeline.extend({ top: pad, bottom: pad, left: pad, right: pad, extendWith: 'copy' });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  const { human } = engine;
  const pixels = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  const tensor = human.tf.tensor3d(new Int32Array(data), [info.height, info.width, 3], 'int32');
  try {
    const result = await human.detect(tensor, passiveModels(options.passive) as never);
    const detections: FaceDetection[] = [];
    for (const face of result.face) {
      const [x, y, width, height] = face.box;
      detections.push({
        box: {
          x: Math.round((region.left + x - pad) * image.scale) + (image.offset?.x ?? 0),
          y: Math.round((region.top + y - pad) * image.scale) + (image.offset?.y ?? 0),
          width: Math.round(width * image.scale),
          height: Math.round(height * image.scale),
        },
        score: face.boxScore,
        embedding: await faceTemplate(engine, pixels, face.mesh, options.mirror),
        measurements: { ...measureFace(face), occlusion: occlusionMeasures(pixels, face.mesh) },
      });
    }
    return detections;
  } finally {
    human.tf.dispose(tensor);
  }
}

/**
 * Whole image first; if nothing is found, once more with a 25% border (copied edge pixels),
 * because the detector misses faces cropped tightly at the image edge. Small portraits on a
 * plain page (portrait 8-30% of page width) are found on the first pass, so no page scan.
 */
export async function detectFaces(engine: FaceEngine, image: DecodedImage, options: DetectOptions = FULL): Promise<FaceDetection[]> {
  const whole: Region = { left: 0, top: 0, width: image.width, height: image.height };
  const found = await detectInRegion(engine, image, whole, 0, options);
  if (found.length > 0) return found;
  return detectInRegion(engine, image, whole, Math.round(Math.max(image.width, image.height) * 0.25), options);
}
