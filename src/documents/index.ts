export { readAamva } from './aamva-fields.ts';
export type { AamvaReading } from './aamva-fields.ts';
export { CAPTURE_THRESHOLDS, judgeCapture, measureCapture } from './capture-quality.ts';
export type { CaptureMeasures, DocumentSide } from './capture-quality.ts';
export { computeCheckDigit, isCheckDigitValid } from './check-digit.ts';
export { checkDocument, checkValidity } from './check-document.ts';
export { createDocumentReader } from './document-reader.ts';
export { buildTd1, buildTd3 } from './mrz-builder.ts';
export type { CorruptCheckDigit, MrzData } from './mrz-builder.ts';
export type { MrzFormat } from './mrz-format.ts';
export { checkExpectedName, nameMatch, nameTokens } from './name-match.ts';
export { CAPTURE_REASONS, DOCUMENT_REASON_MESSAGES, isRetryable } from './reason-messages.ts';
export type { DocumentReasonCode } from './reason-messages.ts';
export type {
  CheckStatus, DocumentFields, DocumentReader, DocumentReading, DocumentType, FieldSource, MrzChecks, ReadOptions, ScoreItem,
} from './types.ts';
