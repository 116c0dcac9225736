import type { Human } from '@vladmandic/human';
import { chooseFace } from './choose-face.ts';
import { decodeImage } from './decode-image.ts';
import { detectFaces } from './detect-faces.ts';
import type { FaceAnalysis, FaceImageKind } from './face-analysis.ts';
import { loadHuman } from './human-engine.ts';

export interface FaceTask {
  image: Uint8Array;
  kind: FaceImageKind;
}

// Models load once per worker thread, on its first task.
let human: Promise<Human> | undefined;

/** Piscina task: decode, detect, embed. Runs off the main event loop. */
export default async function analyzeFace(task: FaceTask): Promise<FaceAnalysis> {
  human ??= loadHuman();
  const engine = await human;
  const decoded = await decodeImage(task.image);
  if (!decoded) return chooseFace([], task.kind);
  return chooseFace(await detectFaces(engine, decoded), task.kind);
}
