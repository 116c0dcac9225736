import { join } from 'node:path';
import type { Tensor3D } from '@vladmandic/human';
import { packageDir, requireFile } from './package-dir.ts';

/** The one face-api model verid uses: 128-d descriptors of 150x150 face chips (0..255), one per chip of the batch. */
export interface FaceDescriptorNet {
  computeFaceDescriptor(input: Tensor3D[]): Promise<Float32Array | Float32Array[]>;
}

interface FaceApiModule {
  nets: { faceRecognitionNet: FaceDescriptorNet & { loadFromDisk(dir: string): Promise<void> } };
}

/**
 * Loads face-api's faceRecognitionNet from the weights inside the npm package. Must run after
 * Human is loaded: both bundles use the same @tensorflow/tfjs-core, so they share its wasm backend.
 */
export async function loadFaceDescriptorNet(): Promise<FaceDescriptorNet> {
  const dir = packageDir('@vladmandic/face-api');
  const faceApi = requireFile<FaceApiModule>(join(dir, 'dist', 'face-api.node-wasm.js'));
  await faceApi.nets.faceRecognitionNet.loadFromDisk(join(dir, 'model'));
  return faceApi.nets.faceRecognitionNet;
}
