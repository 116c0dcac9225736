import type { DocumentEngine, FaceEngine, FaceSearch, LivenessEngine } from './engine-ports.ts';
import type { RetentionPolicy } from './erasure.ts';
import type { ChallengeStore, IdentityStore, RetentionStore, SessionStore } from './ports.ts';

/** Everything the verification use cases need; wired once in app.ts. */
export interface VerificationDeps {
  sessions: SessionStore;
  identities: IdentityStore;
  challenges: ChallengeStore;
  retention: RetentionStore;
  retentionPolicy: RetentionPolicy;
  documents: DocumentEngine;
  faces: FaceEngine;
  /** Starts engine work for an uploaded image early (see analysis-cache.ts); results are reused by content. */
  prefetch: (kind: 'front' | 'back' | 'face', image: Uint8Array, sessionKey?: string) => void;
  liveness: LivenessEngine;
  faceSearch: FaceSearch;
  /** Keyed hash used to recognise a document or an e-mail again without storing it in clear. */
  blindIndex: (value: string, purpose: string) => string;
  /**
   * The blind index under every master key in use: the current key's first, then the previous
   * key's during a rotation. Lookups match any of them; what is written uses the first.
   */
  blindIndexes: (value: string, purpose: string) => string[];
  sessionTtlSeconds: number;
  maxImageBytes: number;
  /** Uploads a session accepts per image kind and in all (abuse limit: each upload costs engine time). */
  maxUploadsPerKind: number;
  maxUploadsPerSession: number;
  /** Processing attempts of the document and of the selfie before a capture problem fails the session. */
  maxCaptureAttempts: number;
  /** A session without a passed liveness challenge fails. */
  requireLiveness: boolean;
  challengeTtlSeconds: number;
  /** Steps per liveness challenge (VERID_LIVENESS_STEPS). */
  livenessSteps: number;
  /** Liveness challenges one person may be issued per hour, across sessions. */
  maxChallengesPerHour: number;
}
