import { AppError } from '../errors/index.ts';
import { hashSecret, humanCode, randomId } from '../security/index.ts';
import type { NewSession, OutboxMessage, SessionEvent, SessionPatch } from './ports.ts';
import type { VerificationSession } from './session.ts';
import { isCapturing, isOpen, type SessionState } from './session-state.ts';
import type { VerificationDeps } from './verification-deps.ts';

/** What a caller decides when starting a session; ids, token and expiry are verid's. */
export type StartInput = Omit<NewSession, 'interviewId' | 'interviewCode' | 'tokenHash' | 'expiresAt'>;

/** A capture token and the hash that is all verid stores of it. */
export function newCaptureToken(): { token: string; tokenHash: string } {
  const token = randomId(32);
  return { token, tokenHash: hashSecret(token) };
}

export async function startSession(deps: VerificationDeps, input: StartInput): Promise<{ session: VerificationSession; token: string }> {
  if (input.mode === 'reverify' && !input.identityId) throw new AppError('validation_failed', 'a re-verification needs the identity to match');
  const { token, tokenHash } = newCaptureToken();
  const session = await deps.sessions.create({
    ...input,
    interviewId: randomId(16),
    interviewCode: humanCode(),
    tokenHash,
    expiresAt: Date.now() + deps.sessionTtlSeconds * 1000,
  }, { type: 'session.created', data: { origin: input.origin, mode: input.mode, environment: input.environment } });
  return { session, token };
}

export function webhookPayload(session: VerificationSession, state: string): Record<string, unknown> {
  return { interviewId: session.interviewId, origin: session.origin, state, externalId: session.externalId };
}

export async function reload(deps: VerificationDeps, session: VerificationSession): Promise<VerificationSession> {
  return (await deps.sessions.findById(session.interviewId)) ?? session;
}

/** Marks an open session past its expiry as expired (and tells the outbox). */
export async function expireIfDue(deps: VerificationDeps, session: VerificationSession, throwIfExpired = true): Promise<VerificationSession> {
  if (isOpen(session.state) && session.expiresAt <= Date.now()) {
    await deps.sessions.transition(session.interviewId, session.state, 'expired',
      { type: 'session.expired', data: {} }, { reasons: ['session_expired'], completedAt: Date.now() },
      { eventType: 'verification.expired', payload: webhookPayload(session, 'expired') });
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

/** A compare-and-set transition that reports a concurrent change as a 409. */
export async function transition(
  deps: VerificationDeps, session: VerificationSession, to: SessionState, event: SessionEvent, patch: SessionPatch = {}, outbox?: OutboxMessage,
): Promise<void> {
  if (!(await deps.sessions.transition(session.interviewId, session.state, to, event, patch, outbox))) {
    throw new AppError('conflict', 'The session changed meanwhile; retry');
  }
}

/** Ends a session that used up its capture attempts. */
export async function failForAttempts(deps: VerificationDeps, session: VerificationSession, reasons: string[]): Promise<VerificationSession> {
  const all = [...new Set([...reasons, 'too_many_attempts'])];
  await transition(deps, session, 'failed', { type: 'session.failed', data: { reasons: all } }, { reasons: all, completedAt: Date.now() },
    { eventType: 'verification.failed', payload: webhookPayload(session, 'failed') });
  return reload(deps, session);
}
