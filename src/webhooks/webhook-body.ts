import type { Environment, PublicEventType, SessionState } from '../verification/index.ts';
import type { OutboxMessage } from './ports.ts';

/**
 * The Omni `onboardingStatus` each public event reports (docs/webhooks.md). verid sends decisions
 * only, so `ID_VALIDATION_FINISHED` and `FACE_VALIDATION_FINISHED` (steps inside a session) never
 * appear in a webhook: the receiver reads step results with its credentials.
 */
export const ONBOARDING_STATUS = {
  'session.succeeded': 'ONBOARDING_FINISHED',
  'session.failed': 'ONBOARDING_FINISHED',
  'session.pending_review': 'ONBOARDING_FINISHED',
  'review.approved': 'MANUAL_REVIEW_APPROVED',
  'review.rejected': 'MANUAL_REVIEW_REJECTED',
  'session.expired': 'EXPIRED',
  'session.closed': 'ONBOARDING_CLOSED',
} as const satisfies Record<PublicEventType, string>;

export type OnboardingStatus = (typeof ONBOARDING_STATUS)[PublicEventType];

/** The Standard Webhooks body: ids and statuses, never personal data. */
export interface WebhookBody {
  type: PublicEventType;
  timestamp: string;
  data: {
    interviewId: string;
    externalId: string | null;
    environment: Environment;
    state: SessionState;
    onboardingStatus: OnboardingStatus;
    reasons: string[];
  };
}

/** The body of a message: the same bytes on every attempt and replay (it depends on the message alone). */
export function webhookBody(message: OutboxMessage): WebhookBody {
  const { payload } = message;
  return {
    type: message.eventType,
    timestamp: new Date(message.createdAt).toISOString(),
    data: {
      interviewId: payload.interviewId,
      externalId: payload.externalId ?? null,
      environment: payload.environment,
      state: payload.state,
      onboardingStatus: ONBOARDING_STATUS[message.eventType],
      reasons: payload.reasons,
    },
  };
}

/** `webhook-id`: one per outbox message, across retries, endpoints and replays. */
export const webhookId = (messageId: string) => `msg_${messageId}`;

/** The outbox id in a `webhook-id` (or the id itself). */
export const messageIdOf = (eventId: string) => (eventId.startsWith('msg_') ? eventId.slice(4) : eventId);
