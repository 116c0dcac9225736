import { AppError } from '../errors/index.ts';
import { emptyScores, isVerified, onboardingStatusOf, type Scores, type VerificationService, type VerificationSession } from '../verification/index.ts';
import type { ApiCaller } from './api-auth.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

/** The identity a session verified (succeeded, approved, or closed after either), else null. */
export function verifiedIdentity(session: VerificationSession): string | null {
  return isVerified(session) ? session.identityId : null;
}

/** What an API client reads of its session: ids, states, reasons, the overall outcome; no personal data. */
export function sessionView(session: VerificationSession) {
  return {
    interviewId: session.interviewId,
    externalId: session.externalId,
    externalCustomerId: session.externalCustomerId,
    configurationId: session.configurationId,
    environment: session.environment,
    state: session.state,
    onboardingStatus: onboardingStatusOf(session.state),
    reasons: session.reasons,
    identityId: verifiedIdentity(session),
    overall: (session.scores ?? emptyScores()).overall,
    notification: session.notification,
    delivery: session.delivery,
    createdAt: iso(session.createdAt),
    updatedAt: iso(session.updatedAt),
    completedAt: session.completedAt === null ? null : iso(session.completedAt),
    expiresAt: iso(session.expiresAt),
  };
}

/**
 * The full scores, for the API client that started the session: which earlier session holds the
 * same face is said only when that session is the same client's (another client's is none of its business).
 */
export async function scoresForApiClient(verification: VerificationService, session: VerificationSession): Promise<Scores> {
  const scores = session.scores ?? emptyScores();
  const earlier = scores.faceRecognition.existingInterviewId;
  if (!earlier) return scores;
  const other = await verification.find(earlier);
  if (other?.clientId === session.clientId) return scores;
  return { ...scores, faceRecognition: { ...scores.faceRecognition, existingInterviewId: null } };
}

/**
 * The caller's own session. Another client's session, or an unknown id, is the same 404: an API
 * client cannot learn which interview ids exist.
 */
export async function sessionOfCaller(verification: VerificationService, caller: ApiCaller, interviewId: string): Promise<VerificationSession> {
  const session = await verification.find(interviewId);
  if (!session || session.clientId !== caller.clientId) {
    throw new AppError('not_found', 'No session with this id for this client', { details: { field: 'id' } });
  }
  return session;
}
