/** Face box in pixels of the submitted image (after EXIF orientation). */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Stable reason codes; each maps to one sentence of user-facing copy elsewhere. */
export type FaceReason = 'face_not_found' | 'multiple_faces' | 'face_too_small';

export type FaceImageKind = 'selfie' | 'document';

export interface FaceAnalysis {
  /** Faces found above the detection confidence. */
  faceCount: number;
  /** The chosen (largest) face. */
  box: FaceBox | null;
  detectionScore: number | null;
  /** Template of the chosen face. Biometric PII: never log it. */
  embedding: number[] | null;
  reasons: FaceReason[];
}

export interface FaceMatcher {
  /**
   * 'selfie': one face expected. 'document': the portrait on an ID page (small face on a large
   * page); the largest face is chosen and extra faces (ghost images) are allowed.
   */
  analyze(image: Uint8Array, kind: FaceImageKind): Promise<FaceAnalysis>;
  close(): Promise<void>;
}
