export type CheckStatus = 'OK' | 'WARN' | 'FAIL' | 'UNKNOWN';

export interface ScoreItem {
  key: string;
  value: string | number | boolean | null;
  status: CheckStatus;
}

export interface Overall {
  value: number | null;
  status: CheckStatus;
}

/** The shape of `GET /omni/get/score` (DESIGN.md). Values only, no PII. */
export interface Scores {
  overall: Overall;
  idValidation: { photoSecurityAndQuality: ScoreItem[]; idSpecific: ScoreItem[]; overall: Overall };
  liveness: { overall: Overall; livenessScore: number | null; activeChallenge: CheckStatus; photoQuality: CheckStatus };
  faceRecognition: {
    overall: Overall;
    similarity: number | null;
    threshold: number | null;
    existingUser: boolean | null;
    existingInterviewId: string | null;
    nameMatch: CheckStatus;
  };
  authentication: { overall: Overall; identityId: string | null } | null;
  reasons: string[];
}

export function overallOf(items: readonly ScoreItem[]): CheckStatus {
  if (items.length === 0) return 'UNKNOWN';
  if (items.some((i) => i.status === 'FAIL')) return 'FAIL';
  if (items.some((i) => i.status === 'WARN')) return 'WARN';
  if (items.every((i) => i.status === 'OK')) return 'OK';
  return 'UNKNOWN';
}

export function emptyScores(): Scores {
  const unknown: Overall = { value: null, status: 'UNKNOWN' };
  return {
    overall: unknown,
    idValidation: { photoSecurityAndQuality: [], idSpecific: [], overall: unknown },
    liveness: { overall: unknown, livenessScore: null, activeChallenge: 'UNKNOWN', photoQuality: 'UNKNOWN' },
    faceRecognition: {
      overall: unknown, similarity: null, threshold: null, existingUser: null, existingInterviewId: null, nameMatch: 'UNKNOWN',
    },
    authentication: null,
    reasons: [],
  };
}
