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
  state: 'succeeded' | 'failed' | 'pending_review';
  scores: Scores;
  reasons: string[];
}

/**
 * The one place that turns check results into an outcome. A session succeeds only when the
 * document's MRZ is fully valid, every document check is OK, and the selfie matches the portrait.
 * A document check that only warns (e.g. the MRZ name is not confirmed by the printed name) sends
 * a matching session to review instead: verid never signs a claim it is unsure of.
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
  const valid = document.found && document.mrzValid && faceStatus === 'OK' && idStatus !== 'FAIL' && idStatus !== 'UNKNOWN';
  const state = !valid ? 'failed' : idStatus === 'OK' ? 'succeeded' : 'pending_review';
  const status: CheckStatus = state === 'succeeded' ? 'OK' : state === 'failed' ? 'FAIL' : 'WARN';
  scores.overall = { value: state === 'succeeded' ? 1 : state === 'failed' ? 0 : 0.5, status };
  scores.reasons = reasons;
  return { state, scores, reasons };
}
