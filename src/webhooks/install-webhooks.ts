import type { JobRunner } from '../jobs/job-runner.ts';
import type { JobStore } from '../jobs/job-store.ts';
import { deliverWebhook, type DeliveryDeps } from './deliver-webhook.ts';
import { DELIVER_JOB, DISPATCH_JOB } from './ports.ts';

/** Outbox messages handed to delivery per dispatch transaction. */
const DISPATCH_BATCH = 200;
const RECURRING_ATTEMPTS = 1_000_000;

/**
 * Registers webhook delivery on a jobs runner: a recurring dispatch (new outbox messages → one
 * delivery per subscribed endpoint, each with its attempt job) and the attempt jobs themselves.
 */
export async function installWebhooks(runner: JobRunner, store: JobStore, deps: DeliveryDeps, dispatchIntervalMs: number): Promise<void> {
  runner.handle(DELIVER_JOB, async (job) => {
    const deliveryId = job.payload.deliveryId;
    if (typeof deliveryId === 'string') await deliverWebhook(deps, deliveryId);
  });
  runner.handle(DISPATCH_JOB, async () => {
    let handed: number;
    do handed = await deps.deliveries.dispatch(DISPATCH_BATCH, Date.now()); while (handed === DISPATCH_BATCH);
    await store.enqueue({ kind: DISPATCH_JOB, uniqueKey: DISPATCH_JOB, runAt: Date.now() + dispatchIntervalMs, maxAttempts: RECURRING_ATTEMPTS });
  });
  await store.enqueue({ kind: DISPATCH_JOB, uniqueKey: DISPATCH_JOB, runAt: Date.now(), maxAttempts: RECURRING_ATTEMPTS });
}
