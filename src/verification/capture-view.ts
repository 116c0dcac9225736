import type { Scores } from './scores.ts';

/**
 * Reason codes that speak of someone else: the capture client (the person, or whoever holds the
 * token) sees a manual review, not that this face is enrolled under another identity.
 */
const ABOUT_OTHERS = new Set(['duplicate_identity']);

export function reasonsForCaptureClient(reasons: readonly string[]): string[] {
  return reasons.filter((reason) => !ABOUT_OTHERS.has(reason));
}

/** The scores as the capture token may read them: no `existingUser`, no other person's interview id. */
export function scoresForCaptureClient(scores: Scores): Scores {
  return {
    ...scores,
    reasons: reasonsForCaptureClient(scores.reasons),
    faceRecognition: { ...scores.faceRecognition, existingUser: null, existingInterviewId: null },
  };
}
