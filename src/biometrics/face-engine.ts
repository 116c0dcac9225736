import type { Human, Tensor3D } from '@vladmandic/human';
import { loadFaceDescriptorNet } from './face-api-engine.ts';
import type { FaceDescriptorNet } from './face-api-engine.ts';
import { fuseTemplates } from './fuse-templates.ts';
import { loadHuman } from './human-engine.ts';

/** Side of the square face crop, relative to Human's face box, fed to face-api (measured: 0.7 best of 0.6-1.2). */
export const FACE_API_CROP = 0.7;

export interface FaceEngine {
  human: Human;
  descriptorNet: FaceDescriptorNet;
}

/** Models for one worker thread: Human (detect, mesh, faceres) then face-api's descriptor. */
export async function loadFaceEngine(): Promise<FaceEngine> {
  const human = await loadHuman();
  return { human, descriptorNet: await loadFaceDescriptorNet() };
}

/**
 * Fused template of one detected face: Human's faceres embedding plus face-api's 128-d
 * descriptor of a tight square crop around the same box ([x, y, width, height] in `image` pixels).
 */
export async function faceTemplate(engine: FaceEngine, image: Tensor3D, box: readonly number[], faceres: readonly number[]): Promise<number[]> {
  const { tf } = engine.human;
  const [x = 0, y = 0, width = 0, height = 0] = box;
  const [imageHeight = 1, imageWidth = 1] = image.shape;
  const half = (Math.max(width, height) * FACE_API_CROP) / 2;
  const cx = x + width / 2;
  const cy = y + height / 2;
  const crop = tf.tidy(() => {
    const boxes = tf.tensor2d([[(cy - half) / imageHeight, (cx - half) / imageWidth, (cy + half) / imageHeight, (cx + half) / imageWidth]]);
    const batch = tf.expandDims(tf.cast(image, 'float32'), 0) as unknown as Parameters<typeof tf.image.cropAndResize>[0];
    return tf.image.cropAndResize(batch, boxes as never, [0], [150, 150]);
  });
  try {
    const descriptor = await engine.descriptorNet.computeFaceDescriptor(crop);
    return fuseTemplates(faceres, Array.from(descriptor));
  } finally {
    tf.dispose(crop);
  }
}
