/**
 * The verification session's states, a closed set.
 *
 *   created ─▶ started ─▶ id_captured ─▶ face_captured ─▶ processing ─▶ succeeded
 *                                                                   ├─▶ failed
 *                                                                   └─▶ pending_review ─▶ approved | rejected
 *   any open state ─▶ expired            succeeded/failed/approved/rejected ─▶ closed
 */
export const SESSION_STATES = [
  'created', 'started', 'id_captured', 'face_captured', 'processing',
  'succeeded', 'failed', 'pending_review', 'approved', 'rejected', 'expired', 'closed',
] as const;

export type SessionState = (typeof SESSION_STATES)[number];

/** A session still collecting or processing; every other state is an outcome. */
export const OPEN_STATES = ['created', 'started', 'id_captured', 'face_captured', 'processing'] as const satisfies readonly SessionState[];

const OPEN: ReadonlySet<SessionState> = new Set(OPEN_STATES);
const DECIDED: ReadonlySet<SessionState> = new Set(['succeeded', 'failed', 'approved', 'rejected']);

const TRANSITIONS: Record<SessionState, readonly SessionState[]> = {
  // -> failed: consent declined before any capture.
  created: ['started', 'id_captured', 'face_captured', 'failed', 'expired'],
  started: ['started', 'id_captured', 'face_captured', 'failed', 'expired'],
  id_captured: ['id_captured', 'face_captured', 'processing', 'failed', 'expired'],
  face_captured: ['face_captured', 'processing', 'failed', 'expired'],
  processing: ['face_captured', 'succeeded', 'failed', 'pending_review', 'expired'],
  pending_review: ['approved', 'rejected'],
  succeeded: ['closed'],
  failed: ['closed'],
  approved: ['closed'],
  rejected: ['closed'],
  expired: [],
  closed: [],
};

export function isOpen(state: SessionState): boolean {
  return OPEN.has(state);
}

/** Open and not being processed: new captures are accepted. */
export function isCapturing(state: SessionState): boolean {
  return OPEN.has(state) && state !== 'processing';
}

export function isDecided(state: SessionState): boolean {
  return DECIDED.has(state);
}

export function canTransition(from: SessionState, to: SessionState): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * The session verified the person: it succeeded, a reviewer approved it, or it was closed after
 * either (a closed session keeps its scores, whose overall status says which).
 */
export function isVerified(session: { state: SessionState; scores: { overall: { status: string } } | null }): boolean {
  return session.state === 'succeeded' || session.state === 'approved' || (session.state === 'closed' && session.scores?.overall.status === 'OK');
}
