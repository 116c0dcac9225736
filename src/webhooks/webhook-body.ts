import { onboardingStatusOf, type Environment, type OnboardingStatus, type PublicEventType, type SessionState } from '../verification/index.ts';
import type { OutboxMessage } from './ports.ts';

/** The Standard Webhooks body: ids and statuses, never personal data. */
export type WebhookBody = SessionWebhookBody | EndpointWebhookBody;

/** `webhook.endpoint_disabled`, to the client's other endpoints: which one verid turned off and why. */
export interface EndpointWebhookBody {
  type: 'webhook.endpoint_disabled';
  timestamp: string;
  data: { endpointId: string; reason: string; disabledAt: string };
}

export interface SessionWebhookBody {
  type: PublicEventType;
  timestamp: string;
  data: {
    interviewId: string;
    externalId: string | null;
    environment: Environment;
    state: SessionState;
    /** Omni's word for the state, the same as `GET /omni/get/onboarding/status` answers (docs/webhooks.md). */
    onboardingStatus: OnboardingStatus;
    reasons: string[];
  };
}

/** The body of a message: the same bytes on every attempt and replay (it depends on the message alone). */
export function webhookBody(message: OutboxMessage): WebhookBody {
  if (message.eventType === 'webhook.endpoint_disabled') {
    const { payload } = message;
    return {
      type: message.eventType, timestamp: new Date(message.createdAt).toISOString(),
      data: { endpointId: payload.endpointId, reason: payload.reason, disabledAt: new Date(payload.disabledAt).toISOString() },
    };
  }
  const { payload } = message;
  return {
    type: message.eventType,
    timestamp: new Date(message.createdAt).toISOString(),
    data: {
      interviewId: payload.interviewId,
      externalId: payload.externalId ?? null,
      environment: payload.environment,
      state: payload.state,
      onboardingStatus: onboardingStatusOf(payload.state),
      reasons: payload.reasons,
    },
  };
}

/** `webhook-id`: one per outbox message, across retries, endpoints and replays. */
export const webhookId = (messageId: string) => `msg_${messageId}`;

/** The outbox id in a `webhook-id` (or the id itself). */
export const messageIdOf = (eventId: string) => (eventId.startsWith('msg_') ? eventId.slice(4) : eventId);
