import type { Human } from '@vladmandic/human';
import { alignmentLandmarks, CHIP_SIZE, chipTransform, sampleChip } from './align-face.ts';
import type { RgbImage } from './align-face.ts';
import { loadFaceDescriptorNet } from './face-api-engine.ts';
import type { FaceDescriptorNet } from './face-api-engine.ts';
import { loadHuman } from './human-engine.ts';

/** Length of a face template (face-api's descriptor); templates of other lengths come from an earlier model. */
export const FACE_TEMPLATE_DIMENSIONS = 128;

export interface FaceEngine {
  human: Human;
  descriptorNet: FaceDescriptorNet;
}

/** Models for one worker thread: Human (detect, mesh, iris, passive liveness) then face-api's descriptor. */
export async function loadFaceEngine(): Promise<FaceEngine> {
  const human = await loadHuman();
  return { human, descriptorNet: await loadFaceDescriptorNet() };
}

/**
 * Template of one detected face: face-api's 128-d descriptor of the face aligned the way the
 * network was trained (dlib's 5-point face chip, 150 px, padding 0.25), located by five
 * landmarks of Human's mesh, averaged with the descriptor of the mirrored chip (unless `mirror` is
 * false: liveness frames) and scaled to unit length. Null when the mesh lacks the landmarks. Measured in docs/face-matching.md.
 */
export async function faceTemplate(engine: FaceEngine, image: RgbImage, mesh: readonly (readonly (number | undefined)[])[], mirror = true): Promise<number[] | null> {
  const landmarks = alignmentLandmarks(mesh);
  if (!landmarks) return null;
  const transform = chipTransform(landmarks);
  const { tf } = engine.human;
  const batch = (mirror ? [false, true] : [false]).map((flip) => tf.tensor3d(sampleChip(image, transform, CHIP_SIZE, flip), [CHIP_SIZE, CHIP_SIZE, 3]));
  try {
    const result = await engine.descriptorNet.computeFaceDescriptor(batch);
    const descriptors = Array.isArray(result) ? result : [result];
    const sum = Array.from(descriptors[0]!, (_, i) => descriptors.reduce((total, d) => total + d[i]!, 0));
    const norm = Math.hypot(...sum);
    return norm > 0 ? sum.map((x) => x / norm) : null;
  } finally {
    tf.dispose(batch);
  }
}
