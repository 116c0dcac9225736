import { AppError } from '../errors/index.ts';
import type { OutboxMessage, SessionStore } from './ports.ts';
import type { SessionEvent } from './session-events.ts';
import { isOpen } from './session-state.ts';
import type { VerificationSession } from './session.ts';

/** How verid sends a session's link to the person (Omni `notification`, less `NONE`). */
export type DeliveryChannel = 'EMAIL' | 'SMS';
export type LinkDeliveryStatus = 'queued' | 'sent' | 'failed';

/** Where a session's link delivery stands; `attempts` counts the tries of the current request. */
export interface LinkDelivery {
  channel: DeliveryChannel;
  status: LinkDeliveryStatus;
  attempts: number;
}

/** The job that sends a session's link (payload `{ interviewId }`, nothing else). */
export const LINK_DELIVERY_JOB = 'link.deliver';

/** At most one queued delivery per session: a second re-send while one waits adds nothing. */
export const linkDeliveryKey = (interviewId: string): string => `${LINK_DELIVERY_JOB}:${interviewId}`;

/** What one try of a channel came to. `reason` is a code (`smtp_550`, `smtp_unreachable`, `sms_http_400`), never a server's text. */
export type AttemptOutcome = { kind: 'sent' } | { kind: 'failed'; reason: string; retryable: boolean };

export function isDeliveryChannel(notification: string | null): notification is DeliveryChannel {
  return notification === 'EMAIL' || notification === 'SMS';
}

/**
 * Records one try in the session's event log (`link.sent` or `link.failed`) and where the delivery
 * stands. A final failure — refused for good, or the last try — also writes the public
 * `link.delivery_failed` event to the webhook outbox in the same transaction: a link that did not
 * reach the person is reported, never silent. Returns `retry` when the job should try again.
 */
export async function recordAttempt(
  sessions: Pick<SessionStore, 'recordLinkAttempt'>, session: VerificationSession, channel: DeliveryChannel,
  attempt: { number: number; max: number }, outcome: AttemptOutcome,
): Promise<'done' | 'retry'> {
  if (outcome.kind === 'sent') {
    await sessions.recordLinkAttempt(session.interviewId, 'sent', attempt.number, [{ type: 'link.sent', data: { channel, attempt: attempt.number } }]);
    return 'done';
  }
  const final = !outcome.retryable || attempt.number >= attempt.max;
  const events: SessionEvent[] = [{ type: 'link.failed', data: { channel, attempt: attempt.number, reason: outcome.reason, final } }];
  if (!final) {
    await sessions.recordLinkAttempt(session.interviewId, 'queued', attempt.number, events);
    return 'retry';
  }
  events.push({ type: 'link.delivery_failed', data: { channel, attempts: attempt.number, reason: outcome.reason } });
  const outbox: OutboxMessage = {
    eventType: 'link.delivery_failed',
    clientId: session.clientId,
    payload: {
      interviewId: session.interviewId, externalId: session.externalId, clientId: session.clientId, origin: session.origin,
      environment: session.environment, state: session.state, reasons: [outcome.reason],
    },
  };
  await sessions.recordLinkAttempt(session.interviewId, 'failed', attempt.number, events, outbox);
  return 'done';
}

/** Re-sends per session: a caller's mistake (or a hostile one) must not flood a person's inbox. */
export const MAX_RESENDS = 5;

/**
 * Queues the link of an open session again (the person lost the message, or it failed): the same
 * link, through the session's channel. A decided or expired session has no link to send (409); a
 * delivery already waiting absorbs the request; at most MAX_RESENDS per session (429).
 */
export async function resendLink(
  sessions: Pick<SessionStore, 'requeueLinkDelivery' | 'listEvents'>, session: VerificationSession, maxAttempts: number,
): Promise<void> {
  if (!isOpen(session.state)) throw new AppError('invalid_state', `The session is ${session.state}: there is no link to send`);
  if (!isDeliveryChannel(session.notification)) {
    throw new AppError('invalid_state', 'verid does not deliver this session\'s link (notification NONE): deliver url yourself');
  }
  if (session.delivery?.status === 'queued') return;
  const resends = (await sessions.listEvents(session.interviewId)).filter((e) => e.type === 'link.queued' && e.data.by === 'resend').length;
  if (resends >= MAX_RESENDS) throw new AppError('rate_limited', `A session's link is re-sent at most ${MAX_RESENDS} times`);
  const queued = await sessions.requeueLinkDelivery(session.interviewId, maxAttempts,
    { type: 'link.queued', data: { channel: session.notification, by: 'resend' } });
  if (!queued) throw new AppError('invalid_state', 'The session\'s link is no longer valid');
}
