import type { Environment } from './session.ts';
import type { ScoreItem } from './scores.ts';
import type { DocumentData } from './session.ts';

/**
 * What the verification flow needs from the engines. `src/documents` and `src/biometrics`
 * satisfy these structurally; end-to-end tests run the real engines, never fakes.
 */
export interface DocumentReading {
  fields: (DocumentData & { source?: string; mrzFormat?: string }) | null;
  mrzValid: boolean;
  /** MRZ or barcode read and every check on it passed. */
  dataValid: boolean;
  items: ScoreItem[];
  /** Capture quality checks (sharpness, glare, ...): DESIGN.md `photoSecurityAndQuality`. */
  quality?: ScoreItem[];
  reasons: string[];
  /** Every failure is a capture problem the person can fix by taking the photo again. */
  retryable?: boolean;
}

export interface DocumentEngine {
  read(front: Uint8Array, back?: Uint8Array, options?: { expectedName?: string }): Promise<DocumentReading>;
  /**
   * The `nameMatch` item (OK, WARN for near spellings only, FAIL, or UNKNOWN when either name is
   * empty) and its reason codes (`name_mismatch`, `name_near_match`).
   */
  matchName(expectedName: string, fields: Pick<DocumentData, 'surname' | 'givenNames'>): { item: ScoreItem; reasons: string[] };
}

export interface FaceAnalysis {
  faceCount: number;
  embedding: number[] | null;
  reasons: string[];
  quality?: ScoreItem[];
  retryable?: boolean;
}

export type ChallengeStep = string;

export interface ChallengeVerdict {
  status: 'OK' | 'FAIL';
  reasons: string[];
  livenessScore: number | null;
}

/** Active liveness: random challenge steps, per-frame analysis, and the verdict. */
export interface LivenessEngine {
  /** `length` random steps (a CSPRNG in production). */
  createChallenge(length: number): ChallengeStep[];
  /** Starts the analysis of frames received so far; `verify` reuses it. Fire and forget. */
  prefetch(frames: Uint8Array[]): void;
  /** Room for a new challenge's frames now (a person should hear "busy" before, not after, performing it). */
  hasCapacity(): boolean;
  verify(input: {
    steps: ChallengeStep[];
    /** In the order the server received them; `step`: the step revealed when the frame arrived. */
    frames: Array<{ image: Uint8Array; step: number }>;
    referenceEmbedding: number[];
  }): Promise<ChallengeVerdict>;
}

export interface FaceEngine {
  analyze(image: Uint8Array, kind: 'selfie' | 'document'): Promise<FaceAnalysis>;
  similarity(a: number[], b: number[]): number;
  /** Similarity at or above which two faces are the same person. */
  readonly threshold: number;
}

/** 1:N search over enrolled faces, for duplicate detection at enrolment. */
export interface FaceSearch {
  /** The enrolled identity (of `environment` only: demo and production never meet) this face already belongs to. */
  findDuplicate(template: number[], options: { excludeIdentityId?: string | null; environment: Environment }): Promise<{ identityId: string; interviewId: string | null } | null>;
  enrolled(identityId: string, template: number[], interviewId: string, environment: Environment): void;
  removed(identityId: string): void;
}
