export { computeCheckDigit, isCheckDigitValid } from './check-digit.ts';
export { checkDocument } from './check-document.ts';
export { createDocumentReader } from './document-reader.ts';
export { buildTd1, buildTd3 } from './mrz-builder.ts';
export type { CorruptCheckDigit, MrzData } from './mrz-builder.ts';
export type { MrzFormat } from './mrz-format.ts';
export type {
  CheckStatus, DocumentFields, DocumentReader, DocumentReading, DocumentType, MrzChecks, ScoreItem,
} from './types.ts';
