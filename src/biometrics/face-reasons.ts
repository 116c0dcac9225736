import type { FaceReason } from './face-analysis.ts';

/** One sentence of user-facing copy per face reason code (shown by the capture UI). */
export const FACE_REASON_MESSAGES: Readonly<Record<FaceReason, string>> = {
  face_not_found: 'We could not find a face in the photo; make sure your whole face is in the frame.',
  multiple_faces: 'More than one face is visible; make sure you are alone in the photo.',
  face_too_small: 'Your face is too small in the photo; move closer to the camera.',
  face_not_frontal: 'Look straight into the camera and keep your head level.',
  eyes_closed: 'Keep your eyes open while the photo is taken.',
  too_dark: 'The photo is too dark; move to a brighter place or face a light source.',
  too_bright: 'The photo is overexposed; avoid direct light or a bright window behind the camera.',
  face_blurry: 'The photo is blurry; hold the camera still and make sure it is in focus.',
  face_occluded: 'Part of your face is covered; remove sunglasses, masks or anything covering your face.',
};

/** Every face reason is a capture problem a new photo can fix; none proves an attack. */
const RETRYABLE: Readonly<Record<FaceReason, boolean>> = {
  face_not_found: true,
  multiple_faces: true,
  face_too_small: true,
  face_not_frontal: true,
  eyes_closed: true,
  too_dark: true,
  too_bright: true,
  face_blurry: true,
  face_occluded: true,
};

export function isRetryableFaceReason(reason: FaceReason): boolean {
  return RETRYABLE[reason];
}

/** `retryable` of an analysis: there is something to fix, and a new capture can fix all of it. */
export function retryableReasons(reasons: readonly FaceReason[]): boolean {
  return reasons.length > 0 && reasons.every(isRetryableFaceReason);
}
