/** Stable reason codes, each with one sentence of user-facing copy. Codes never change meaning. */
export const REASON_MESSAGES: Record<string, string> = {
  mrz_not_found: 'We could not find the machine-readable zone (the lines of <<< at the bottom). Retake the photo with the whole page in view and in focus.',
  mrz_check_digit_failed: 'The document\'s machine-readable zone did not pass its integrity checks.',
  mrz_field_invalid: 'The document\'s machine-readable zone could not be read reliably. Retake the photo, flat and in focus.',
  mrz_name_unconfirmed: 'The name in the machine-readable zone could not be confirmed against the printed name.',
  image_unreadable: 'The image could not be read. Upload a JPEG, PNG or WebP photo.',
  expiry_date_invalid: 'The document\'s expiry date is not valid.',
  document_type_unknown: 'This type of document is not supported. Use a passport or an ID card.',
  document_expired: 'The document has expired.',
  birth_date_invalid: 'The date of birth on the document is not valid.',
  document_unsupported: 'This type of document is not supported.',
  document_face_not_found: 'We could not find the portrait on the document. Retake the photo with the whole page in view.',
  face_not_found: 'We could not find a face in the selfie. Face the camera in good light.',
  multiple_faces: 'More than one face is in the selfie. Make sure only you are in the picture.',
  face_too_small: 'The face is too small. Move closer to the camera.',
  face_mismatch: 'The selfie does not match the portrait on the document.',
  session_expired: 'The verification session expired before it was completed.',
};

export function reasonMessage(code: string): string {
  return REASON_MESSAGES[code] ?? 'The verification could not be completed.';
}
