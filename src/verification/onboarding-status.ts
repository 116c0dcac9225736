import type { SessionState } from './session-state.ts';

/** Omni's `onboardingStatus` values, as ATS integrations already read them. */
export type OnboardingStatus =
  | 'UNKNOWN' | 'ID_VALIDATION_FINISHED' | 'FACE_VALIDATION_FINISHED' | 'ONBOARDING_FINISHED'
  | 'MANUAL_REVIEW_APPROVED' | 'MANUAL_REVIEW_REJECTED' | 'EXPIRED';

const BY_STATE: Record<SessionState, OnboardingStatus> = {
  created: 'UNKNOWN',
  started: 'UNKNOWN',
  id_captured: 'ID_VALIDATION_FINISHED',
  face_captured: 'FACE_VALIDATION_FINISHED',
  processing: 'FACE_VALIDATION_FINISHED',
  succeeded: 'ONBOARDING_FINISHED',
  failed: 'ONBOARDING_FINISHED',
  pending_review: 'ONBOARDING_FINISHED',
  approved: 'MANUAL_REVIEW_APPROVED',
  rejected: 'MANUAL_REVIEW_REJECTED',
  expired: 'EXPIRED',
  closed: 'ONBOARDING_FINISHED',
};

/** Where the person is in the flow, in Omni's words (the verid `state` says how it ended). */
export function onboardingStatusOf(state: SessionState): OnboardingStatus {
  return BY_STATE[state];
}
