import { AppError } from '../errors/index.ts';
import { sniffImageType } from './image-format.ts';
import type { ImageKind, VerificationSession } from './session.ts';
import { canTransition, type SessionState } from './session-state.ts';
import { assertCapturing, reload, transition } from './session-lifecycle.ts';
import type { VerificationDeps } from './verification-deps.ts';

/** Validates and stores one captured image (encrypted), moving the session along. */
export async function addImage(deps: VerificationDeps, session: VerificationSession, kind: ImageKind, data: Uint8Array): Promise<VerificationSession> {
  assertCapturing(session);
  if (data.length === 0) throw new AppError('invalid_image', 'The image is empty');
  if (data.length > deps.maxImageBytes) throw new AppError('payload_too_large', `Images must be at most ${deps.maxImageBytes} bytes`);
  const contentType = sniffImageType(data);
  if (!contentType) throw new AppError('invalid_image', 'The image must be a JPEG, PNG or WebP file');
  if (session.mode === 'reverify' && kind !== 'face') {
    throw new AppError('invalid_request', 'A re-verification takes a selfie only, no document');
  }
  await deps.sessions.saveImage(session.interviewId, kind, contentType, data);
  deps.prefetch(kind, data);
  const kinds = new Set(await deps.sessions.listImageKinds(session.interviewId));
  const ready = session.mode === 'reverify' ? kinds.has('face') : kinds.has('front') && kinds.has('face');
  const next: SessionState = ready ? 'face_captured' : kinds.has('front') ? 'id_captured' : 'started';
  const to = canTransition(session.state, next) ? next : session.state;
  await transition(deps, session, to, { type: 'image.added', data: { kind, contentType, bytes: data.length } });
  return reload(deps, session);
}
