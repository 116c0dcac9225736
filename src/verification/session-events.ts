import type { DeliveryChannel } from './link-delivery.ts';
import type { CheckStatus } from './scores.ts';
import type { SessionState } from './session-state.ts';
import type { Environment, ImageKind, SessionMode, SessionOrigin } from './session.ts';

/**
 * The closed catalogue of what a session's event log records: one payload shape per type, ids,
 * states, counts and reason codes only — never personal data.
 */
export type SessionEvent =
  | { type: 'consent.given'; data: { version: string } }
  | { type: 'session.created'; data: { origin: SessionOrigin; mode: SessionMode; environment: Environment } }
  | { type: 'image.received'; data: { kind: ImageKind; bytes: number } }
  | { type: 'image.added'; data: { kind: ImageKind; contentType: string; bytes: number } }
  | { type: 'document.processed'; data: { status: CheckStatus; reasons: string[]; attempt: number } }
  | { type: 'processing.started'; data: Record<string, never> }
  | { type: 'processing.aborted'; data: Record<string, never> }
  | { type: 'processing.recovered'; data: { stuckSeconds: number } }
  | { type: 'face.retry'; data: { reasons: string[]; attempt: number } }
  | { type: 'liveness.challenge_issued'; data: { challengeId: string; totalSteps: number } }
  | { type: 'liveness.checked'; data: { challengeId: string; status: 'OK' | 'FAIL'; reasons: string[]; livenessScore: number | null } }
  | { type: 'session.succeeded' | 'session.failed' | 'session.pending_review'; data: { reasons: string[]; similarity?: number | null } }
  | { type: 'session.expired'; data: Record<string, never> }
  | { type: 'review.approved' | 'review.rejected'; data: { reason: string } }
  | { type: 'session.closed'; data: Record<string, never> }
  | { type: 'session.erased'; data: { by: 'request' | 'retention' | 'identity' } }
  // Link delivery: the channel, the try and a reason code — never the address or the number.
  | { type: 'link.queued'; data: { channel: DeliveryChannel; by: 'start' | 'resend' } }
  | { type: 'link.sent'; data: { channel: DeliveryChannel; attempt: number } }
  | { type: 'link.failed'; data: { channel: DeliveryChannel; attempt: number; reason: string; final: boolean } }
  | { type: 'link.delivery_failed'; data: { channel: DeliveryChannel; attempts: number; reason: string } };

export type SessionEventType = SessionEvent['type'];

/**
 * What the outside world is told (the webhook outbox): a decision, a change of a decided session,
 * or a link verid could not deliver (the caller sends it another way, or re-sends it). The payload
 * is ids and states; the receiver fetches details with its credentials.
 */
export const PUBLIC_EVENT_TYPES = [
  'session.succeeded', 'session.failed', 'session.pending_review', 'session.expired', 'review.approved', 'review.rejected', 'session.closed',
  'link.delivery_failed',
] as const satisfies readonly SessionEventType[];

export type PublicEventType = (typeof PUBLIC_EVENT_TYPES)[number];

/** Events about the client's own integration, not a session: a webhook endpoint verid turned off. */
export const CLIENT_EVENT_TYPES = ['webhook.endpoint_disabled'] as const;
export type ClientEventType = (typeof CLIENT_EVENT_TYPES)[number];

/** Every event type a webhook endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [...PUBLIC_EVENT_TYPES, ...CLIENT_EVENT_TYPES] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface PublicEventPayload {
  interviewId: string;
  /** The API client's own reference (from /omni/start), never personal data by contract (docs/integrations/ats.md). */
  externalId: string | null;
  clientId: string | null;
  origin: SessionOrigin;
  environment: Environment;
  state: SessionState;
  /** The decision's reason codes; for `link.delivery_failed`, why the link did not go out (`smtp_550`, `smtp_unreachable`, …). */
  reasons: string[];
}

export function isPublicEvent(type: SessionEventType): type is PublicEventType {
  return (PUBLIC_EVENT_TYPES as readonly string[]).includes(type);
}
