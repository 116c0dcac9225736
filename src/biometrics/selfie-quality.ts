import type { FaceReason, QualityStatus, ScoreItem } from './face-analysis.ts';
import type { OcclusionMeasures } from './occlusion.ts';

/** What the quality gates look at; angles in radians, openness 0..1, luma 0..255. */
export interface SelfieMeasurements {
  faceWidth: number;
  yaw: number | null;
  pitch: number | null;
  roll: number | null;
  leftEyeOpenness: number | null;
  rightEyeOpenness: number | null;
  brightness: number;
  sharpness: number;
  /** Colour statistics of the eye and lower-face areas (occlusion.ts); null without a full mesh. */
  occlusion?: OcclusionMeasures | null;
}

/**
 * Gate limits, calibrated with bench/eval-faces.ts (`quality` section) so that the genuine
 * fixture photos pass: see docs/face-matching.md for the measured distributions.
 * A value beyond `warn` is WARN, beyond `fail` is FAIL with the reason code.
 */
export const SELFIE_QUALITY_LIMITS = {
  /** Face box width in pixels of the submitted image (fixtures: min 55, p1 70, median 152). */
  faceWidth: { warn: 90, fail: 50 },
  /** Largest of |yaw|, |pitch|, |roll|/2 in degrees (fixtures: p95 16, p99 26, max 37). */
  poseDegrees: { warn: 20, fail: 35 },
  /** Mean openness of both eyes (fixtures: min 0.32, p1 0.63; a closed eye measures ~0.1). */
  eyesOpen: { warn: 0.45, fail: 0.25 },
  /** Mean luma of the inner face (fixtures: 54..192, p1 71, p99 171). */
  brightness: { dark: { warn: 70, fail: 40 }, bright: { warn: 215, fail: 240 } },
  /** Laplacian variance of the inner face resampled to 112 px (fixtures: min 18, p1 25, p5 40, median 221). */
  sharpness: { warn: 40, fail: 15 },
  /**
   * Occlusion measures (occlusion.ts). Fixtures: eye/skin luma p1 0.28, median 0.63 (synthetic
   * dark glasses: median 0.16); mouth-chin/forehead luma p1 0.61, p99 1.29 (dark mask median 0.20,
   * white mask 1.38); mouth-chin/forehead chromaticity distance p99 0.073 (blue mask median 0.13).
   */
  occlusion: {
    eyeLumaRatio: { warn: 0.26, fail: 0.2 },
    lowerFaceLumaRatio: { dark: { warn: 0.55, fail: 0.4 }, bright: { warn: 1.45, fail: 1.75 } },
    lowerFaceChromaDistance: { warn: 0.085, fail: 0.12 },
  },
} as const;

const degrees = (radians: number): number => (radians * 180) / Math.PI;
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

function below(value: number, limits: { warn: number; fail: number }): QualityStatus {
  return value < limits.fail ? 'FAIL' : value < limits.warn ? 'WARN' : 'OK';
}
function above(value: number, limits: { warn: number; fail: number }): QualityStatus {
  return value > limits.fail ? 'FAIL' : value > limits.warn ? 'WARN' : 'OK';
}

/**
 * How strongly a measure says "covered": 0 inside its normal range, 0.5 at the WARN limit rising
 * to 1 at the FAIL limit and beyond. Positive `limits` direction: `sign` 1 = larger is worse.
 */
function severity(value: number, limits: { warn: number; fail: number }, sign: 1 | -1): number {
  const beyondWarn = sign * (value - limits.warn);
  if (beyondWarn <= 0) return 0;
  return Math.min(1, 0.5 + (0.5 * beyondWarn) / Math.abs(limits.fail - limits.warn));
}

/** Occlusion evidence 0..1 (the strongest of the three measures): ≥ 0.5 WARN, 1 FAIL. */
export function occlusionEvidence(m: OcclusionMeasures): number | null {
  if (m.eyeLumaRatio === null || m.lowerFaceLumaRatio === null || m.lowerFaceChromaDistance === null) return null;
  const L = SELFIE_QUALITY_LIMITS.occlusion;
  return Math.max(
    severity(m.eyeLumaRatio, L.eyeLumaRatio, -1),
    severity(m.lowerFaceLumaRatio, L.lowerFaceLumaRatio.dark, -1),
    severity(m.lowerFaceLumaRatio, L.lowerFaceLumaRatio.bright, 1),
    severity(m.lowerFaceChromaDistance, L.lowerFaceChromaDistance, 1),
  );
}

/** Selfie quality items in a fixed order, and a reason code for every FAIL. Pure. */
export function assessSelfieQuality(m: SelfieMeasurements): { items: ScoreItem[]; reasons: FaceReason[] } {
  const L = SELFIE_QUALITY_LIMITS;
  const items: ScoreItem[] = [];
  const reasons: FaceReason[] = [];
  const add = (item: ScoreItem, reason: FaceReason): void => {
    items.push(item);
    if (item.status === 'FAIL') reasons.push(reason);
  };

  add({ key: 'faceSize', value: Math.round(m.faceWidth), status: below(m.faceWidth, L.faceWidth) }, 'face_too_small');

  if (m.yaw === null || m.pitch === null || m.roll === null) {
    items.push({ key: 'pose', value: null, status: 'UNKNOWN' });
  } else {
    const pose = Math.max(Math.abs(degrees(m.yaw)), Math.abs(degrees(m.pitch)), Math.abs(degrees(m.roll)) / 2);
    add({ key: 'pose', value: round(pose), status: above(pose, L.poseDegrees) }, 'face_not_frontal');
  }

  if (m.leftEyeOpenness === null || m.rightEyeOpenness === null) {
    items.push({ key: 'eyesOpen', value: null, status: 'UNKNOWN' });
  } else {
    const open = (m.leftEyeOpenness + m.rightEyeOpenness) / 2;
    add({ key: 'eyesOpen', value: round(open, 2), status: below(open, L.eyesOpen) }, 'eyes_closed');
  }

  const dark = below(m.brightness, L.brightness.dark);
  const bright = above(m.brightness, L.brightness.bright);
  const brightnessStatus = dark !== 'OK' ? dark : bright;
  items.push({ key: 'brightness', value: Math.round(m.brightness), status: brightnessStatus });
  if (dark === 'FAIL') reasons.push('too_dark');
  if (bright === 'FAIL') reasons.push('too_bright');

  add({ key: 'sharpness', value: round(m.sharpness), status: below(m.sharpness, L.sharpness) }, 'face_blurry');

  // No offline mask/sunglasses model ships with Human or face-api: colour statistics of the eye and
  // lower-face areas against the skin around them (occlusion.ts), calibrated in docs/face-matching.md.
  const evidence = m.occlusion ? occlusionEvidence(m.occlusion) : null;
  if (evidence === null) items.push({ key: 'occlusion', value: null, status: 'UNKNOWN' });
  else add({ key: 'occlusion', value: round(evidence, 2), status: evidence >= 1 ? 'FAIL' : evidence >= 0.5 ? 'WARN' : 'OK' }, 'face_occluded');
  return { items, reasons };
}
