// Public value types of the documents module (see DESIGN.md "Scores").
import type { MrzFormat } from './mrz-format.ts';

export type DocumentType = 'passport' | 'id_card' | 'driver_licence' | 'unknown';
export type CheckStatus = 'OK' | 'WARN' | 'FAIL' | 'UNKNOWN';
/** Where the fields were read: the ICAO machine-readable zone or an AAMVA PDF417 barcode. */
export type FieldSource = 'mrz' | 'pdf417';

export interface ScoreItem {
  key: string;
  value: string | number | boolean | null;
  status: CheckStatus;
}

export interface DocumentFields {
  documentType: DocumentType;
  source: FieldSource;
  /** Only for `source: 'mrz'`. */
  mrzFormat?: MrzFormat;
  /** ICAO alpha-3 ('GBR'; 'USA' / 'CAN' for AAMVA documents). */
  issuingCountry: string;
  /** Empty when the document does not state it (AAMVA). */
  nationality: string;
  documentNumber: string;
  /** Human form: 'SMITH'. */
  surname: string;
  /** Human form: 'JOHN PETER'. */
  givenNames: string;
  /** 'YYYY-MM-DD', null when the date on the document is not a calendar date. */
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
  /** Null when neither an MRZ nor an AAMVA barcode was read. */
  fields: DocumentFields | null;
  /** Every MRZ check digit OK (false for barcode documents: see `2DBarcodeContent`). */
  mrzValid: boolean;
  /** The machine-readable data — the MRZ, or a licence's AAMVA barcode — was read and passed every check on it. */
  dataValid: boolean;
  /** Capture quality per side: sharpnessFront, glareFront, sizeFront, framingFront, … */
  quality: ScoreItem[];
  items: ScoreItem[];
  /** Stable reason codes, each with copy in DOCUMENT_REASON_MESSAGES. */
  reasons: string[];
  /** True when every reason is a capture problem the person can fix by taking the photo again. */
  retryable: boolean;
}

export interface ReadOptions {
  /** The invitation / directory name, checked against the document (`nameMatch`). */
  expectedName?: string;
}

export interface DocumentReader {
  read(front: Uint8Array, back?: Uint8Array, options?: ReadOptions): Promise<DocumentReading>;
  close(): Promise<void>;
}
