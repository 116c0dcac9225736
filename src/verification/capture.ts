import { AppError } from '../errors/index.ts';
import { assertConsented } from './consent.ts';
import { sniffImageType } from './image-format.ts';
import type { ImageKind, VerificationSession } from './session.ts';
import { canTransition, type SessionState } from './session-state.ts';
import { assertCapturing, reload, transition } from './session-lifecycle.ts';
import type { VerificationDeps } from './verification-deps.ts';

/** Validates and stores one captured image (encrypted), moving the session along. */
export async function addImage(deps: VerificationDeps, session: VerificationSession, kind: ImageKind, data: Uint8Array): Promise<VerificationSession> {
  assertCapturing(session);
  assertConsented(session);
  if (data.length === 0) throw new AppError('invalid_image', 'The image is empty');
  if (data.length > deps.maxImageBytes) throw new AppError('payload_too_large', `Images must be at most ${deps.maxImageBytes} bytes`);
  const contentType = sniffImageType(data);
  if (!contentType) throw new AppError('invalid_image', 'The image must be a JPEG, PNG or WebP file');
  if (session.mode === 'reverify' && kind !== 'face') {
    throw new AppError('invalid_request', 'A re-verification takes a selfie only, no document');
  }
  await countUpload(deps, session, kind, data.length);
  await deps.sessions.saveImage(session.interviewId, kind, contentType, data);
  deps.prefetch(kind, data, session.interviewId);
  const kinds = new Set(await deps.sessions.listImageKinds(session.interviewId));
  const ready = session.mode === 'reverify' ? kinds.has('face') : kinds.has('front') && kinds.has('face');
  const next: SessionState = ready ? 'face_captured' : kinds.has('front') ? 'id_captured' : 'started';
  const to = canTransition(session.state, next) ? next : session.state;
  await transition(deps, session, to, { type: 'image.added', data: { kind, contentType, bytes: data.length } });
  return reload(deps, session);
}

const RECEIVED = 'image.received';

/**
 * Each upload costs engine time (prefetch) and storage, so a session takes a bounded number: per
 * kind and in all. Counted in the session's own event log (`image.received`), no extra table.
 * Checked before recording (so a refused upload adds nothing) and again after (so concurrent
 * uploads cannot all slip under the limit).
 */
async function countUpload(deps: VerificationDeps, session: VerificationSession, kind: ImageKind, bytes: number): Promise<void> {
  await assertUploadAllowed(deps, session.interviewId, kind);
  await deps.sessions.appendEvent(session.interviewId, { type: RECEIVED, data: { kind, bytes } });
  await assertUploadAllowed(deps, session.interviewId, kind, 0);
}

/** Refuses (409 too_many_uploads) when `pending` more uploads of `kind` would pass a limit; also checked before an upload's body is read. */
export async function assertUploadAllowed(deps: VerificationDeps, interviewId: string, kind: ImageKind, pending = 1): Promise<void> {
  const received = (await deps.sessions.listEvents(interviewId)).filter((e) => e.type === RECEIVED);
  if (received.length + pending > deps.maxUploadsPerSession || received.filter((e) => e.data.kind === kind).length + pending > deps.maxUploadsPerKind) {
    throw new AppError('too_many_uploads',
      `This session takes at most ${deps.maxUploadsPerKind} uploads of each photo and ${deps.maxUploadsPerSession} in all; start a new verification`);
  }
}
