// Every reason code the documents module emits, with the one sentence shown to the person.

export const DOCUMENT_REASON_MESSAGES = {
  image_unreadable: 'The file could not be opened as a photo; please take a new photo of your document.',
  document_not_found: 'We could not find a document in the photo; place the whole document in the frame.',
  document_blurry: 'The photo of your document is blurry; hold still and make sure it is in focus.',
  document_glare: 'Glare hides part of your document; move away from direct light and try again.',
  document_too_small: 'Your document is too far away; move closer so it fills most of the frame.',
  document_too_dark: 'The photo of your document is too dark; turn on a light or move somewhere brighter.',
  document_cut_off: 'Part of your document is cut off; make sure all four edges are in the frame.',
  document_wrong_side: 'This looks like the back of your document; please photograph the front first.',
  document_unsupported: 'This type of document is not supported; please use a passport, ID card or driver licence.',
  mrz_not_found: 'We could not read the machine-readable zone of your document.',
  mrz_unclear: 'A character of the machine-readable zone of your document could not be read with certainty; take a sharper photo, straight on and without glare.',
  mrz_check_digit_failed: 'The machine-readable zone of your document did not pass its integrity checks.',
  mrz_field_invalid: 'The machine-readable zone of your document contains invalid data.',
  mrz_name_unconfirmed: 'The name in the machine-readable zone does not match the name printed on the document.',
  barcode_not_found: 'We could not read the barcode on the back of your document.',
  barcode_content_invalid: 'The barcode on the back of your document does not contain valid licence data.',
  document_type_unknown: 'We could not tell what kind of document this is.',
  document_expired: 'Your document has expired; please use a valid document.',
  expiry_date_invalid: 'The expiry date on your document is not valid.',
  birth_date_invalid: 'The date of birth on your document is not valid.',
  name_crosscheck_failed: 'The name printed on your document does not match its machine-readable data.',
  birth_date_crosscheck_failed: 'The date of birth printed on your document does not match its machine-readable data.',
  document_number_crosscheck_failed: 'The document number printed on your document does not match its machine-readable data.',
  name_mismatch: 'The name on your document does not match the name we expected.',
  name_near_match: 'The name on your document is close to, but not the same as, the name we expected; someone will review it.',
} as const satisfies Record<string, string>;

export type DocumentReasonCode = keyof typeof DOCUMENT_REASON_MESSAGES;

/** Capture problems: a new photo can fix them, so they ask for a retake instead of failing. */
export const CAPTURE_REASONS: ReadonlySet<string> = new Set<DocumentReasonCode>([
  'image_unreadable', 'document_not_found', 'document_blurry', 'document_glare', 'document_too_small',
  'document_too_dark', 'document_cut_off', 'document_wrong_side', 'mrz_unclear',
]);

export function isRetryable(reasons: readonly string[]): boolean {
  return reasons.length > 0 && reasons.every((reason) => CAPTURE_REASONS.has(reason));
}
