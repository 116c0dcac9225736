import { chooseFace } from './choose-face.ts';
import { decodeImage } from './decode-image.ts';
import { detectFaces } from './detect-faces.ts';
import type { FaceAnalysis, FaceImageKind } from './face-analysis.ts';
import { loadFaceEngine } from './face-engine.ts';
import type { FaceEngine } from './face-engine.ts';

export interface FaceTask {
  image: Uint8Array;
  kind: FaceImageKind;
}

// Models load once per worker thread, on its first task.
let engine: Promise<FaceEngine> | undefined;

/** Piscina task: decode, detect, embed. Runs off the main event loop. */
export default async function analyzeFace(task: FaceTask): Promise<FaceAnalysis> {
  engine ??= loadFaceEngine();
  const models = await engine;
  const decoded = await decodeImage(task.image);
  if (!decoded) return chooseFace([], task.kind);
  return chooseFace(await detectFaces(models, decoded), task.kind);
}
