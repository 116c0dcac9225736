import { sql, type Kysely } from 'kysely';
import { DELIVER_JOB, deliverJobKey } from '../webhooks/ports.ts';
import type { Database } from './database-schema.ts';
import { insertJob } from './job-repository.ts';

/** A delivery job is retried (database trouble) for as long as it takes: a delivery must not be stranded. */
const DELIVER_JOB_ATTEMPTS = 1_000_000;

/** Queues an attempt of `deliveryId` at `runAt`, in `db`'s transaction; `replace` moves an already queued one. */
export async function queueAttempt(db: Kysely<Database>, deliveryId: string, runAt: number, replace = false): Promise<void> {
  if (replace) await db.deleteFrom('jobs').where('unique_key', '=', deliverJobKey(deliveryId)).where('status', '=', 'queued').execute();
  await insertJob(db, { kind: DELIVER_JOB, payload: { deliveryId }, runAt, uniqueKey: deliverJobKey(deliveryId), maxAttempts: DELIVER_JOB_ATTEMPTS });
}

/** Whether an earlier message of the same session is still pending for the same endpoint. */
export async function hasEarlierPending(db: Kysely<Database>, endpointId: string, sessionId: string | null, sequence: number): Promise<boolean> {
  if (sessionId === null) return false;
  const row = await db.selectFrom('webhook_deliveries').select('id')
    .where('endpoint_id', '=', endpointId).where('session_id', '=', sessionId).where('status', '=', 'pending').where('sequence', '<', sequence)
    .limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Queues the first pending message of `sessionId` for the endpoint (the next in its order). */
export async function queueNextOfSession(db: Kysely<Database>, endpointId: string, sessionId: string, now: number): Promise<void> {
  const next = await db.selectFrom('webhook_deliveries').select(['id', 'next_attempt_at'])
    .where('endpoint_id', '=', endpointId).where('session_id', '=', sessionId).where('status', '=', 'pending')
    .orderBy('sequence').limit(1).executeTakeFirst();
  if (next) await queueAttempt(db, next.id, Math.max(now, next.next_attempt_at));
}

/**
 * An endpoint enabled again: its pending deliveries start a fresh retry schedule now, and the first
 * of each session (or each without a session) is queued.
 */
export async function queueSessionHeads(db: Kysely<Database>, endpointId: string, now: number): Promise<void> {
  await db.updateTable('webhook_deliveries').set({ next_attempt_at: now, round_attempts: 0, version: sql`version + 1`, updated_at: now })
    .where('endpoint_id', '=', endpointId).where('status', '=', 'pending').execute();
  const pending = await db.selectFrom('webhook_deliveries').select(['id', 'session_id'])
    .where('endpoint_id', '=', endpointId).where('status', '=', 'pending').orderBy('sequence').execute();
  const seen = new Set<string>();
  for (const delivery of pending) {
    if (delivery.session_id !== null) {
      if (seen.has(delivery.session_id)) continue;
      seen.add(delivery.session_id);
    }
    await queueAttempt(db, delivery.id, now, true);
  }
}
