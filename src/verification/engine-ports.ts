import type { ScoreItem } from './scores.ts';
import type { DocumentData } from './session.ts';

/**
 * What the verification flow needs from the engines. `src/documents` and `src/biometrics`
 * satisfy these structurally; tests never replace them with fakes in end-to-end runs.
 */
export interface DocumentReading {
  fields: (DocumentData & { mrzFormat: string }) | null;
  mrzValid: boolean;
  items: ScoreItem[];
  reasons: string[];
}

export interface DocumentEngine {
  read(front: Uint8Array): Promise<DocumentReading>;
}

export interface FaceAnalysis {
  faceCount: number;
  embedding: number[] | null;
  reasons: string[];
}

export interface FaceEngine {
  analyze(image: Uint8Array, kind: 'selfie' | 'document'): Promise<FaceAnalysis>;
  similarity(a: number[], b: number[]): number;
  /** Similarity at or above which two faces are the same person. */
  readonly threshold: number;
}
