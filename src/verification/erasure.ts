import { AppError } from '../errors/index.ts';
import { expireSession, revokeCaptureToken } from './session-lifecycle.ts';
import { isOpen } from './session-state.ts';
import type { VerificationDeps } from './verification-deps.ts';

const DAY_MS = 86_400_000;
const BATCH = 200;

/** How long personal data lives (VERID_RETENTION_*). */
export interface RetentionPolicy {
  /** Images, document data and names of a decided session, after the decision. */
  mediaDays: number;
  /** An identity's claims and face template, after its last verification. */
  identityDays: number;
  /** A decided session's non-PII record (ids, states, reason codes, events). */
  sessionRecordDays: number;
}

/**
 * Erases a session's personal data — images, liveness frames, document data, names — and keeps its
 * non-PII record. An open session is ended first (expired, reason `session_deleted`) and its capture
 * token stops working.
 */
export async function eraseSession(deps: VerificationDeps, interviewId: string, by: 'request' | 'retention' | 'identity'): Promise<void> {
  const session = await deps.sessions.findById(interviewId);
  if (!session) throw new AppError('not_found', 'No such session');
  if (isOpen(session.state)) await expireSession(deps, session, 'session_deleted');
  await revokeCaptureToken(deps, interviewId);
  await deps.retention.eraseSessionMedia(interviewId);
  await deps.sessions.appendEvent(interviewId, { type: 'session.erased', data: { by } });
}

/** Erases an identity (claims, face template, document key) and the personal data of every session it has. */
export async function eraseIdentity(deps: VerificationDeps, identityId: string, by: 'request' | 'retention'): Promise<void> {
  const sessions = await deps.retention.sessionsOfIdentity(identityId);
  if (!(await deps.retention.eraseIdentity(identityId))) {
    if (sessions.length === 0) throw new AppError('not_found', 'No such identity, or it was already erased');
  }
  deps.faceSearch.removed(identityId);
  for (const interviewId of sessions) await eraseSession(deps, interviewId, by === 'request' ? 'identity' : 'retention');
}

/** The retention sweep: what outlived the policy is erased. Returns what it did. */
export async function purgeRetention(deps: VerificationDeps, policy: RetentionPolicy, now = Date.now()): Promise<{ sessions: number; identities: number; records: number }> {
  const done = { sessions: 0, identities: 0, records: 0 };
  for (const identityId of await deps.retention.identitiesUnusedSince(now - policy.identityDays * DAY_MS, BATCH)) {
    await eraseIdentity(deps, identityId, 'retention');
    done.identities++;
  }
  for (const interviewId of await deps.retention.sessionsDecidedBefore(now - policy.mediaDays * DAY_MS, BATCH)) {
    await eraseSession(deps, interviewId, 'retention');
    done.sessions++;
  }
  // Flows that keep less (VERID_FLOWS mediaDays) are erased sooner.
  for (const [name, flow] of deps.flows) {
    if (flow.mediaDays === null || flow.mediaDays >= policy.mediaDays) continue;
    for (const interviewId of await deps.retention.sessionsDecidedBefore(now - flow.mediaDays * DAY_MS, BATCH, name)) {
      await eraseSession(deps, interviewId, 'retention');
      done.sessions++;
    }
  }
  done.records = await deps.retention.deleteSessionRecordsBefore(now - policy.sessionRecordDays * DAY_MS, BATCH);
  return done;
}
