// Public value types of the documents module (see DESIGN.md "Scores").
import type { MrzFormat } from './mrz-format.ts';

export type DocumentType = 'passport' | 'id_card' | 'unknown';
export type CheckStatus = 'OK' | 'WARN' | 'FAIL' | 'UNKNOWN';

export interface ScoreItem {
  key: string;
  value: string | number | boolean | null;
  status: CheckStatus;
}

export interface DocumentFields {
  documentType: DocumentType;
  mrzFormat: MrzFormat;
  issuingCountry: string;
  nationality: string;
  documentNumber: string;
  /** Human form: 'SMITH'. */
  surname: string;
  /** Human form: 'JOHN PETER'. */
  givenNames: string;
  /** 'YYYY-MM-DD', null when the MRZ date is not a calendar date. */
  birthDate: string | null;
  expiryDate: string | null;
  sex: 'M' | 'F' | 'X';
}

/** Outcome of each MRZ check digit; `personalNumber` is null where the format has none (TD1, TD2). */
export interface MrzChecks {
  documentNumber: boolean;
  birthDate: boolean;
  expiryDate: boolean;
  personalNumber: boolean | null;
  composite: boolean;
}

export interface DocumentReading {
  /** Null when no MRZ was found. */
  fields: DocumentFields | null;
  /** Every check digit OK. */
  mrzValid: boolean;
  items: ScoreItem[];
  /** Stable reason codes. */
  reasons: string[];
}

export interface DocumentReader {
  read(front: Uint8Array): Promise<DocumentReading>;
  close(): Promise<void>;
}
