import { workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { lowerThreadPriority, type EngineWorkerData } from '../platform/index.ts';
import { chooseFace, largestFace } from './choose-face.ts';
import { decodeImage } from './decode-image.ts';
import type { DecodedImage } from './decode-image.ts';
import { detectFaces } from './detect-faces.ts';
import type { FaceAnalysis, FaceImageKind, FrameAnalysis } from './face-analysis.ts';
import { loadFaceEngine } from './face-engine.ts';
import type { FaceMeasurements } from './face-measurements.ts';
import type { FaceEngine } from './face-engine.ts';
import { retryableReasons } from './face-reasons.ts';
import { faceRegionStats } from './face-region-stats.ts';
import { assessSelfieQuality } from './selfie-quality.ts';

// Before the models load: face analysis yields the cores to the event loop's requests
// (docs/performance.md).
lowerThreadPriority((workerData as EngineWorkerData | undefined)?.nice ?? 0);

// libvips' operation cache would keep recent images (up to 50 MB) for re-use that never comes:
// every task decodes a new upload.
sharp.cache(false);

/** `passive`: run Human's passive liveness models on this frame (a burst samples them). */
export type FaceTask = { type: 'analyze'; image: Uint8Array; kind: FaceImageKind } | { type: 'frame'; image: Uint8Array; passive: boolean };

// Models load once per worker thread, on its first task.
let engine: Promise<FaceEngine> | undefined;

/**
 * A document photo is decoded at MAX_DECODE_SIDE, where the portrait of a card held at arm's
 * length is only ~60-120 px wide. Below PORTRAIT_MIN_DECODED_WIDTH the portrait is decoded again
 * from the original pixels (PORTRAIT_CONTEXT × the face box around its centre, at most
 * PORTRAIT_SIDE px) and described from that crop. Measured in docs/face-matching.md.
 */
const PORTRAIT_MIN_DECODED_WIDTH = 150;
const PORTRAIT_CONTEXT = 2;
const PORTRAIT_SIDE = 512;

async function portraitFromOriginal(models: FaceEngine, bytes: Uint8Array, decoded: DecodedImage, analysis: FaceAnalysis): Promise<FaceAnalysis> {
  const { box } = analysis;
  if (!box || !analysis.embedding || box.width / decoded.scale >= PORTRAIT_MIN_DECODED_WIDTH || decoded.scale <= 1) return analysis;
  const side = Math.max(box.width, box.height) * PORTRAIT_CONTEXT;
  const region = { left: box.x + box.width / 2 - side / 2, top: box.y + box.height / 2 - side / 2, width: side, height: side };
  const crop = await decodeImage(bytes, { region, maxSide: PORTRAIT_SIDE });
  const portrait = crop ? largestFace(await detectFaces(models, crop)) : undefined;
  if (!portrait?.embedding) return analysis;
  return { ...analysis, box: portrait.box, detectionScore: portrait.score, embedding: portrait.embedding };
}

/** Head pose and eye openness of a detection, null where not measured. */
function poseAndEyes(m: FaceMeasurements | null | undefined) {
  return {
    yaw: m?.yaw ?? null,
    pitch: m?.pitch ?? null,
    roll: m?.roll ?? null,
    leftEyeOpenness: m?.leftEyeOpenness ?? null,
    rightEyeOpenness: m?.rightEyeOpenness ?? null,
  };
}

async function analyzeImage(models: FaceEngine, bytes: Uint8Array, decoded: DecodedImage | null, kind: FaceImageKind): Promise<FaceAnalysis> {
  if (!decoded) return chooseFace([], kind);
  const detections = await detectFaces(models, decoded);
  const analysis = chooseFace(detections, kind);
  const chosen = largestFace(detections);
  if (kind === 'document') return portraitFromOriginal(models, bytes, decoded, analysis);
  if (!chosen || analysis.reasons.includes('face_not_found')) return analysis;
  const m = chosen.measurements;
  const { items, reasons } = assessSelfieQuality({
    faceWidth: chosen.box.width,
    ...poseAndEyes(m),
    occlusion: m?.occlusion ?? null,
    ...(await faceRegionStats(decoded, chosen.box)),
  });
  const all = [...new Set([...analysis.reasons, ...reasons])];
  return { ...analysis, quality: items, reasons: all, retryable: retryableReasons(all) };
}

async function analyzeFrame(models: FaceEngine, decoded: DecodedImage | null, passive: boolean): Promise<FrameAnalysis> {
  const detections = decoded ? await detectFaces(models, decoded, { mirror: false, passive }) : [];
  const face = largestFace(detections);
  const m = face?.measurements;
  return {
    faceCount: detections.length,
    ...poseAndEyes(m),
    embedding: face?.embedding ?? null,
    passive: { liveness: m?.liveness ?? null, antispoof: m?.antispoof ?? null },
  };
}

/** Piscina task: decode, detect, measure, embed. Runs off the main event loop. */
export default async function runFaceTask(task: FaceTask): Promise<FaceAnalysis | FrameAnalysis> {
  engine ??= loadFaceEngine();
  const models = await engine;
  const decoded = await decodeImage(task.image);
  return task.type === 'frame' ? analyzeFrame(models, decoded, task.passive) : analyzeImage(models, task.image, decoded, task.kind);
}
