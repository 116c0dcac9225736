import type { FaceResult } from '@vladmandic/human';
import { eyeOpenness } from './eye-openness.ts';
import type { MeshPoint } from './eye-openness.ts';
import type { OcclusionMeasures } from './occlusion.ts';

/** What Human says about one detected face beyond its box and template. */
export interface FaceMeasurements {
  yaw: number | null;
  pitch: number | null;
  roll: number | null;
  leftEyeOpenness: number | null;
  rightEyeOpenness: number | null;
  liveness: number | null;
  antispoof: number | null;
  /** Colour statistics of the areas sunglasses and masks cover; absent when not measured. */
  occlusion?: OcclusionMeasures;
}

const finite = (x: number | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

export function measureFace(face: FaceResult): FaceMeasurements {
  const angle = face.rotation?.angle;
  const eyes = face.mesh.length >= 468 ? eyeOpenness(face.mesh as readonly MeshPoint[]) : { left: null, right: null };
  return {
    yaw: finite(angle?.yaw),
    pitch: finite(angle?.pitch),
    roll: finite(angle?.roll),
    leftEyeOpenness: eyes.left,
    rightEyeOpenness: eyes.right,
    liveness: finite(face.live),
    antispoof: finite(face.real),
  };
}
