import { expireIfDue, transitionGate } from './session-lifecycle.ts';
import type { VerificationDeps } from './verification-deps.ts';

const BATCH = 200;

/** Marks open sessions past their expiry as expired (today nobody may ever read them again). Returns how many. */
export async function expireDueSessions(deps: VerificationDeps, now = Date.now()): Promise<number> {
  let expired = 0;
  for (const session of await deps.sessions.listExpiredOpen(now, BATCH)) {
    if ((await expireIfDue(deps, session, false, now)).state === 'expired') expired++;
  }
  return expired;
}

/**
 * Sessions left `processing` by a process that died: back to `face_captured`, so the capture client
 * can process again (the reason says why). Returns how many.
 */
export async function recoverStuckProcessing(deps: VerificationDeps, timeoutMs: number, now = Date.now()): Promise<number> {
  let recovered = 0;
  for (const session of await deps.sessions.listStuckProcessing(now - timeoutMs, BATCH)) {
    const stuckSeconds = Math.round((now - session.updatedAt) / 1000);
    if (await transitionGate(deps.sessions, session, 'face_captured', { type: 'processing.recovered', data: { stuckSeconds } },
      { reasons: ['processing_interrupted'] })) recovered++;
  }
  return recovered;
}
