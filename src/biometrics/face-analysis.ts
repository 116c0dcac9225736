/** Face box in pixels of the submitted image (after EXIF orientation). */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Stable reason codes; each maps to one sentence of user-facing copy in FACE_REASON_MESSAGES. */
export type FaceReason =
  | 'face_not_found'
  | 'multiple_faces'
  | 'face_too_small'
  | 'face_not_frontal'
  | 'eyes_closed'
  | 'too_dark'
  | 'too_bright'
  | 'face_blurry'
  | 'face_occluded';

export type FaceImageKind = 'selfie' | 'document';

export type QualityStatus = 'OK' | 'WARN' | 'FAIL' | 'UNKNOWN';

/** One selfie-quality measurement, in the shape of the scores JSON (`{key, value, status}`). */
export interface ScoreItem {
  key: SelfieQualityKey;
  value: number | null;
  status: QualityStatus;
}

export type SelfieQualityKey = 'faceSize' | 'pose' | 'eyesOpen' | 'brightness' | 'sharpness' | 'occlusion';

export interface FaceAnalysis {
  /** Faces found above the detection confidence. */
  faceCount: number;
  /** The chosen (largest) face. */
  box: FaceBox | null;
  detectionScore: number | null;
  /** Template of the chosen face. Biometric PII: never log it. */
  embedding: number[] | null;
  /** Selfie quality of the chosen face; empty for documents and when no face was found. */
  quality: ScoreItem[];
  reasons: FaceReason[];
  /** True when there are reasons and a new capture could clear all of them. */
  retryable: boolean;
}

/** Per-frame measurements for liveness (angles in radians, as Human reports them). */
export interface FrameAnalysis {
  faceCount: number;
  /** Head turn: negative = the person turns to their own left in an unmirrored camera frame. */
  yaw: number | null;
  /** Nodding: positive = chin down. */
  pitch: number | null;
  roll: number | null;
  /** 0 = closed, 1 = fully open (eye aspect ratio from the iris-refined mesh, scaled). */
  leftEyeOpenness: number | null;
  rightEyeOpenness: number | null;
  /** Template of the largest face. Biometric PII: never log it. */
  embedding: number[] | null;
  /** Human's passive scores of the largest face, 0..1 (higher = more likely live). */
  passive: { liveness: number | null; antispoof: number | null };
}

export interface FaceMatcher {
  /**
   * 'selfie': one face expected, quality assessed. 'document': the portrait on an ID page
   * (small face on a large page); the largest face is chosen and extra faces (ghost images) are allowed.
   */
  analyze(image: Uint8Array, kind: FaceImageKind): Promise<FaceAnalysis>;
  /** Pose, eye state, template and passive scores of every frame of a challenge burst, in order. */
  analyzeFrames(frames: readonly Uint8Array[]): Promise<FrameAnalysis[]>;
  /**
   * Starts analysing frames of a burst still being recorded; analyzeFrames on the whole burst
   * then reuses them (by content, for a few minutes, in this process).
   */
  prefetchFrames(frames: readonly Uint8Array[]): void;
  /** Whether work nobody waits for (prefetch) may be queued now; it never takes the last half of the queue. */
  hasSpareCapacity(): boolean;
  close(): Promise<void>;
}
