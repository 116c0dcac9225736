import { nextAttemptAt } from './retry-schedule.ts';
import type { AttemptOutcome, DeliveryContext, DeliveryStore, DisabledReason, EndpointStore } from './ports.ts';
import { webhookBody, webhookId } from './webhook-body.ts';
import { signWebhook } from './webhook-signer.ts';
import type { PostResult, WebhookPost } from './webhook-transport.ts';

export interface DeliverySettings {
  /** Delay after the 1st, 2nd, … failed attempt of a round; its length + 1 attempts, then the delivery is dead. */
  retryScheduleMs: readonly number[];
  /** An endpoint whose attempts all failed for this long … */
  disableAfterMs: number;
  /** … and at least this many times in a row is disabled. */
  disableAfterFailures: number;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export interface DeliveryDeps {
  deliveries: DeliveryStore;
  endpoints: Pick<EndpointStore, 'signingSecrets'>;
  post: WebhookPost;
  settings: DeliverySettings;
  now?: () => number;
}

/** Why the endpoint is disabled after this failure, if it now is. */
function disableReason(context: DeliveryContext, result: PostResult, now: number, settings: DeliverySettings): DisabledReason | null {
  // Standard Webhooks: 410 Gone means the receiver wants no more.
  if (result.statusCode === 410) return 'gone';
  const failures = context.endpoint.consecutiveFailures + 1;
  const failingSince = context.endpoint.failingSince ?? now;
  return failures >= settings.disableAfterFailures && now - failingSince >= settings.disableAfterMs ? 'failing' : null;
}

/**
 * One attempt of one delivery (the `webhooks.deliver` job). Sends nothing when the delivery is done,
 * its endpoint disabled, its time not come, or an earlier message of the same session is still
 * pending for this endpoint (that one's outcome queues this one). At-least-once: a process killed
 * after sending and before recording sends the same webhook-id again after the job's lease.
 */
export async function deliverWebhook(deps: DeliveryDeps, deliveryId: string): Promise<void> {
  const now = deps.now?.() ?? Date.now();
  const context = await deps.deliveries.load(deliveryId);
  if (!context || context.delivery.status !== 'pending' || context.endpoint.state !== 'enabled') return;
  const { delivery, endpoint, message } = context;
  if (delivery.nextAttemptAt > now) {
    await deps.deliveries.schedule(delivery.id, delivery.nextAttemptAt);
    return;
  }
  if (await deps.deliveries.hasEarlierPending(delivery)) return;

  const body = JSON.stringify(webhookBody(message));
  let result: PostResult;
  if (context.environment !== 'demo' && !endpoint.url.startsWith('https:')) {
    result = { statusCode: null, errorCode: 'https_required', latencyMs: 0, excerpt: null, retryAfterSeconds: null };
  } else {
    const headers = signWebhook(webhookId(message.id), new Date(now), body, await deps.endpoints.signingSecrets(endpoint.id, now));
    result = await deps.post(endpoint.url, { ...headers }, body);
  }

  const finishedAt = deps.now?.() ?? Date.now();
  const success = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  const retryAt = success ? null : nextAttemptAt(deps.settings.retryScheduleMs, delivery.roundAttempts + 1, finishedAt, result.retryAfterSeconds);
  const disable = success ? null : disableReason(context, result, finishedAt, deps.settings);
  const outcome: AttemptOutcome = {
    attempt: {
      messageId: message.id, endpointId: endpoint.id, attempt: delivery.attempts + 1, statusCode: result.statusCode, errorCode: result.errorCode,
      latencyMs: result.latencyMs, responseExcerpt: result.excerpt, attemptedAt: now,
    },
    status: success ? 'delivered' : retryAt === null ? 'dead' : 'pending',
    retryAt, success, disable,
  };
  await deps.deliveries.recordAttempt(delivery, outcome);
  const fields = { webhookId: webhookId(message.id), endpointId: endpoint.id, attempt: outcome.attempt.attempt, statusCode: result.statusCode, errorCode: result.errorCode };
  if (outcome.status === 'dead') deps.settings.log.error(fields, 'webhook dead: retry schedule used up');
  if (disable) {
    deps.settings.log.error({ endpointId: endpoint.id, reason: disable }, 'webhook endpoint disabled; `verid webhooks enable` turns it on again');
  }
}
