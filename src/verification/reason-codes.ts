import { FACE_REASON_MESSAGES, LIVENESS_REASON_MESSAGES } from '../biometrics/index.ts';
import { DOCUMENT_REASON_MESSAGES } from '../documents/index.ts';

/** Reason codes the verification flow itself adds to the engines' own. Codes never change meaning. */
const FLOW_REASON_MESSAGES: Record<string, string> = {
  document_face_not_found: 'We could not find the portrait on your document; photograph the whole page with your photo.',
  enrolled_face_missing: 'There is no enrolled face to compare with; verify with your ID document instead.',
  face_mismatch: 'The selfie does not match the photo we compared it with.',
  duplicate_identity: 'This face is already enrolled under another identity; the verification needs a manual review.',
  liveness_not_performed: 'The live face check was not completed.',
  too_many_attempts: 'Too many photos could not be used; please start again.',
  session_expired: 'The verification session expired before it was completed.',
  consent_declined: 'You did not agree to the processing, so nothing was collected.',
  session_cancelled: 'This verification was withdrawn by the organisation that asked for it.',
  session_replaced: 'This verification was replaced by a newer one on the same sign-in page.',
  test_document: 'This is a test document; it is accepted only in the demo environment.',
  document_type_not_accepted: 'This kind of document is not accepted for this verification; use another of your documents.',
  processing_interrupted: 'The check was interrupted on our side; please send your selfie again.',
};

/** Every reason code with its one sentence of user-facing copy. */
export const REASON_MESSAGES: Readonly<Record<string, string>> = {
  ...DOCUMENT_REASON_MESSAGES, ...FACE_REASON_MESSAGES, ...LIVENESS_REASON_MESSAGES, ...FLOW_REASON_MESSAGES,
};

export function reasonMessage(code: string): string {
  return REASON_MESSAGES[code] ?? 'The verification could not be completed.';
}
