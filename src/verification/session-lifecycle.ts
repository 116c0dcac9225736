import { AppError } from '../errors/index.ts';
import { hashSecret, humanCode, randomId } from '../security/index.ts';
import type { NewSession, OutboxMessage, SessionPatch, SessionStore } from './ports.ts';
import { emptyScores, type Scores } from './scores.ts';
import type { VerificationSession } from './session.ts';
import { isPublicEvent, type SessionEvent } from './session-events.ts';
import { canTransition, isCapturing, isOpen, type SessionState } from './session-state.ts';
import type { VerificationDeps } from './verification-deps.ts';

/** What a caller decides when starting a session; ids, token and expiry are verid's. */
export type StartInput = Omit<NewSession, 'interviewId' | 'interviewCode' | 'tokenHash' | 'expiresAt' | 'linkDelivery'> & {
  /** How long the session stays open; default VERID_SESSION_TTL_SECONDS (a login), longer for an emailed link. */
  ttlSeconds?: number;
  /** verid sends the link (notification EMAIL / SMS), trying up to `maxAttempts` times. */
  linkDelivery?: { maxAttempts: number } | null;
};

/** A capture token and the hash that is all verid stores of it. */
export function newCaptureToken(): { token: string; tokenHash: string } {
  const token = randomId(32);
  return { token, tokenHash: hashSecret(token) };
}

/**
 * Interview codes are read over the phone: 8 characters of a 31-letter alphabet (~40 bits). Among
 * a million live codes a new one collides about once in a million draws; a taken code is drawn again.
 */
export const INTERVIEW_CODE_LENGTH = 8;
const CODE_ATTEMPTS = 5;

/** `auto` resolves at the start: re-verify when the caller bound an identity, else enrol. */
export async function startSession(deps: VerificationDeps, input: StartInput): Promise<{ session: VerificationSession; token: string }> {
  const { ttlSeconds = deps.sessionTtlSeconds, linkDelivery, ...fields } = input;
  const mode = fields.mode === 'auto' ? (fields.identityId ? 'reverify' : 'enroll') : fields.mode;
  if (mode === 'reverify' && !fields.identityId) throw new AppError('validation_failed', 'a re-verification needs the identity to match');
  const { token, tokenHash } = newCaptureToken();
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const session = await deps.sessions.create({
      ...fields,
      mode,
      interviewId: randomId(16),
      interviewCode: humanCode(INTERVIEW_CODE_LENGTH),
      tokenHash,
      linkDelivery: linkDelivery ? { token, maxAttempts: linkDelivery.maxAttempts } : null,
      expiresAt: Date.now() + ttlSeconds * 1000,
    }, { type: 'session.created', data: { origin: fields.origin, mode, environment: fields.environment } });
    if (session) return { session, token };
  }
  throw new Error(`no free interview code after ${CODE_ATTEMPTS} draws`);
}

export async function reload(deps: VerificationDeps, session: VerificationSession): Promise<VerificationSession> {
  return (await deps.sessions.findById(session.interviewId)) ?? session;
}

/**
 * The one gate for every state change. Refuses a transition the table in session-state.ts does not
 * allow; otherwise compare-and-sets the state, appends the event and — for a public event — the
 * webhook outbox row (ids and states only), in one transaction. False when the state changed meanwhile.
 */
export async function transitionGate(
  sessions: Pick<SessionStore, 'transition'>, session: VerificationSession, to: SessionState, event: SessionEvent, patch: SessionPatch = {},
): Promise<boolean> {
  if (!canTransition(session.state, to)) {
    throw new AppError('invalid_state', `A ${session.state} session cannot become ${to}`);
  }
  const outbox: OutboxMessage | undefined = isPublicEvent(event.type)
    ? {
      eventType: event.type,
      clientId: session.clientId,
      payload: {
        interviewId: session.interviewId, externalId: session.externalId, clientId: session.clientId, origin: session.origin, environment: session.environment,
        state: to, reasons: patch.reasons ?? session.reasons,
      },
    }
    : undefined;
  return sessions.transition(session.interviewId, session.state, to, event, patch, outbox);
}

/** Through the gate; a concurrent change is a 409. */
export async function transition(
  deps: VerificationDeps, session: VerificationSession, to: SessionState, event: SessionEvent, patch: SessionPatch = {},
): Promise<void> {
  if (!(await transitionGate(deps.sessions, session, to, event, patch))) {
    throw new AppError('conflict', 'The session changed meanwhile; retry');
  }
}

/** Ends an open session as `expired` with `reason` (through the gate, with its outbox event); false when it changed meanwhile. */
export function expireSession(deps: VerificationDeps, session: VerificationSession, reason: string, now = Date.now()): Promise<boolean> {
  return transitionGate(deps.sessions, session, 'expired', { type: 'session.expired', data: {} }, { reasons: [reason], completedAt: now });
}

/** The session's capture token stops working (only a hash of a token nobody holds is left). */
export function revokeCaptureToken(deps: VerificationDeps, interviewId: string): Promise<void> {
  return deps.sessions.replaceTokenHash(interviewId, newCaptureToken().tokenHash);
}

/** Marks an open session past its expiry as expired (and tells the outbox). */
export async function expireIfDue(deps: VerificationDeps, session: VerificationSession, throwIfExpired = true, now = Date.now()): Promise<VerificationSession> {
  if (isOpen(session.state) && session.expiresAt <= now) {
    await expireSession(deps, session, 'session_expired', now);
    session = await reload(deps, session);
  }
  if (throwIfExpired && session.state === 'expired') throw new AppError('session_expired', 'The verification session has expired');
  return session;
}

export function assertCapturing(session: VerificationSession): void {
  if (session.state === 'expired') throw new AppError('session_expired', 'The verification session has expired');
  if (!isCapturing(session.state)) {
    throw new AppError('session_closed', `The session is ${session.state} and no longer accepts captures`);
  }
}

/**
 * Ends a session that used up its capture attempts. Its scores say so too: one source of truth for
 * a decided session's outcome (overall FAIL with the same reasons as the session).
 */
export async function failForAttempts(deps: VerificationDeps, session: VerificationSession, reasons: string[]): Promise<VerificationSession> {
  const all = [...new Set([...reasons, 'too_many_attempts'])];
  const scores: Scores = { ...(session.scores ?? emptyScores()), reasons: all, overall: { value: null, status: 'FAIL' } };
  await transition(deps, session, 'failed', { type: 'session.failed', data: { reasons: all } }, { reasons: all, scores, completedAt: Date.now() });
  return reload(deps, session);
}
