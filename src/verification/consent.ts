import { AppError } from '../errors/index.ts';
import { assertCapturing, reload, transition } from './session-lifecycle.ts';
import type { VerificationSession } from './session.ts';
import type { VerificationDeps } from './verification-deps.ts';

/** The version of the consent text verid's hosted page shows (src/web/capture/consent-text.ts). */
export const HOSTED_CONSENT_VERSION = 'verid-consent-2026-12-01';
/** The hosted page's text for a verification an organisation asked for (Omni Start): it also receives the document data and photos. */
export const HOSTED_ONBOARDING_CONSENT_VERSION = 'verid-onboarding-consent-2026-12-01';

/**
 * The person's answer to the consent request (BIPA, GDPR Art. 9): agreeing records the time and
 * the text version they saw and opens the capture; declining ends the session (failed,
 * `consent_declined`) before anything is collected.
 */
export async function answerConsent(deps: VerificationDeps, session: VerificationSession, accepted: boolean, version: string): Promise<VerificationSession> {
  assertCapturing(session);
  // The hosted page's sessions record the text verid itself showed, not whatever the browser says.
  if (session.origin === 'oidc' && version !== HOSTED_CONSENT_VERSION) {
    throw new AppError('validation_failed', `This sign-in shows consent text ${HOSTED_CONSENT_VERSION}; the answer names another`);
  }
  if (!accepted) {
    await transition(deps, session, 'failed', { type: 'session.failed', data: { reasons: ['consent_declined'] } },
      { reasons: ['consent_declined'], completedAt: Date.now() });
    return reload(deps, session);
  }
  if (!session.consentAt) await deps.sessions.recordConsent(session.interviewId, version, Date.now());
  return reload(deps, session);
}

/** No image before consent. */
export function assertConsented(session: VerificationSession): void {
  if (!session.consentAt) {
    throw new AppError('consent_required', 'The person has not agreed to the processing yet: POST /omni/consent first');
  }
}
