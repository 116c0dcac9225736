import { emptyScores, overallOf, type CheckStatus, type ScoreItem, type Scores } from './scores.ts';

export interface DocumentOutcome {
  found: boolean;
  mrzValid: boolean;
  items: ScoreItem[];
  reasons: string[];
}

export interface FaceOutcome {
  documentFaceFound: boolean;
  selfieReasons: string[];
  similarity: number | null;
  threshold: number;
}

export interface Decision {
  state: 'succeeded' | 'failed';
  scores: Scores;
  reasons: string[];
}

/**
 * The one place that turns check results into an outcome. A session succeeds only when the
 * document's MRZ is fully valid, no document check failed, and the selfie matches the portrait.
 */
export function decide(document: DocumentOutcome, face: FaceOutcome): Decision {
  const scores = emptyScores();
  const idStatus = document.found ? overallOf(document.items) : 'FAIL';
  scores.idValidation = {
    photoSecurityAndQuality: [],
    idSpecific: document.items,
    overall: { value: idStatus === 'OK' ? 1 : 0, status: idStatus },
  };

  const faceReasons = [...face.selfieReasons];
  if (!face.documentFaceFound) faceReasons.push('document_face_not_found');
  let faceStatus: CheckStatus = 'FAIL';
  if (faceReasons.length === 0 && face.similarity !== null) {
    faceStatus = face.similarity >= face.threshold ? 'OK' : 'FAIL';
    if (faceStatus === 'FAIL') faceReasons.push('face_mismatch');
  }
  scores.faceRecognition = {
    ...scores.faceRecognition,
    overall: { value: face.similarity, status: faceStatus },
    similarity: face.similarity,
    threshold: face.threshold,
  };

  const reasons = [...new Set([...document.reasons, ...faceReasons])];
  const passed = idStatus === 'OK' && document.mrzValid && faceStatus === 'OK';
  scores.overall = { value: passed ? 1 : 0, status: passed ? 'OK' : 'FAIL' };
  scores.reasons = reasons;
  return { state: passed ? 'succeeded' : 'failed', scores, reasons };
}
