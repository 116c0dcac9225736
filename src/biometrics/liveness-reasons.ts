import type { ChallengeReason } from './verify-challenge.ts';

/** One sentence of user-facing copy per liveness challenge reason code. */
export const LIVENESS_REASON_MESSAGES: Readonly<Record<ChallengeReason, string>> = {
  challenge_invalid: 'This check is no longer valid; please start the face check again.',
  challenge_expired: 'The face check took too long; please try again and follow the prompts promptly.',
  challenge_too_fast: 'The steps came faster than a person can do them; please follow each prompt on the screen.',
  challenge_replayed: 'These camera images were already used; please take the check again with your camera.',
  challenge_too_many_frames: 'We received more video than this check needs; please start the check again.',
  challenge_too_few_frames: 'We did not receive enough video; keep your face in view until the check finishes.',
  challenge_multiple_faces: 'More than one face was visible; make sure you are alone in front of the camera.',
  challenge_face_not_found: 'We lost sight of your face; keep your whole face in the frame during the check.',
  challenge_face_changed: 'The face in the video does not match your photo; the same person must complete every step.',
  challenge_not_performed: 'We could not see the requested movements; follow each prompt in the order shown.',
  liveness_spoof_suspected: 'We could not confirm a live person in front of the camera; please try again in person.',
};
