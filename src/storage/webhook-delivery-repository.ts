import { sql, type Kysely, type Selectable } from 'kysely';
import { randomId } from '../security/index.ts';
import type { Environment, PublicEventType } from '../verification/index.ts';
import type {
  AttemptOutcome, AttemptRecord, Delivery, DeliveryContext, DeliveryStore, OutboxMessage, WebhookEndpoint,
} from '../webhooks/ports.ts';
import type { Database, WebhookDeliveryTable, WebhookOutboxTable } from './database-schema.ts';
import type { SqlDialectName } from './database.ts';
import { hasEarlierPending, queueAttempt, queueNextOfSession } from './webhook-delivery-queue.ts';
import { toEndpoint } from './webhook-endpoint-repository.ts';

function toDelivery(row: Selectable<WebhookDeliveryTable>): Delivery {
  return {
    id: row.id, messageId: row.message_id, endpointId: row.endpoint_id, sessionId: row.session_id, sequence: row.sequence, status: row.status,
    attempts: row.attempts, roundAttempts: row.round_attempts, version: row.version, nextAttemptAt: row.next_attempt_at,
  };
}

type OutboxRow = Pick<Selectable<WebhookOutboxTable>, 'id' | 'event_type' | 'payload' | 'created_at' | 'session_id' | 'client_id' | 'sequence'>;

function toMessage(row: OutboxRow): OutboxMessage {
  return { id: row.id, eventType: row.event_type as PublicEventType, payload: JSON.parse(row.payload), createdAt: row.created_at };
}

async function insertEndpointDisabled(tx: Kysely<Database>, endpointId: string, reason: string, now: number): Promise<void> {
  const endpoint = await tx.selectFrom('webhook_endpoints').select('client_id').where('id', '=', endpointId).executeTakeFirst();
  if (!endpoint) return;
  await tx.insertInto('webhook_outbox').values({
    id: randomId(), session_id: null, client_id: endpoint.client_id, event_type: 'webhook.endpoint_disabled',
    payload: JSON.stringify({ endpointId, reason, disabledAt: now }), created_at: now, attempts: 0, next_attempt_at: now,
    delivered_at: null, dispatched_at: null, sequence: 0,
  }).execute();
}

const subscribes = (endpoint: WebhookEndpoint, type: string) => endpoint.eventTypes.length === 0 || (endpoint.eventTypes as string[]).includes(type);

/**
 * Deliveries of outbox messages to endpoints. Every change that makes an attempt due queues its job
 * in the same transaction, so a delivery is never left pending without a job (docs/webhooks.md).
 */
export class WebhookDeliveryRepository implements DeliveryStore {
  readonly #db: Kysely<Database>;
  readonly #dialect: SqlDialectName;

  constructor(db: Kysely<Database>, dialect: SqlDialectName) {
    this.#db = db;
    this.#dialect = dialect;
  }

  async dispatch(limit: number, now: number): Promise<number> {
    return this.#db.transaction().execute(async (tx) => {
      let due = tx.selectFrom('webhook_outbox').select(['id', 'event_type', 'payload', 'created_at', 'session_id', 'client_id', 'sequence'])
        .where('dispatched_at', 'is', null).orderBy('created_at').orderBy('sequence').limit(limit);
      if (this.#dialect === 'postgres') due = due.forUpdate().skipLocked();
      const rows = await due.execute();
      if (rows.length === 0) return 0;
      await tx.updateTable('webhook_outbox').set({ dispatched_at: now }).where('id', 'in', rows.map((r) => r.id)).execute();
      const endpointsOf = new Map<string, WebhookEndpoint[]>();
      for (const row of rows) {
        if (row.client_id === null) continue;
        let endpoints = endpointsOf.get(row.client_id);
        if (!endpoints) {
          endpoints = (await tx.selectFrom('webhook_endpoints').selectAll().where('client_id', '=', row.client_id).where('state', '=', 'enabled').execute())
            .map(toEndpoint);
          endpointsOf.set(row.client_id, endpoints);
        }
        for (const endpoint of endpoints.filter((e) => subscribes(e, row.event_type))) await this.#queue(tx, row, endpoint.id, now);
      }
      return rows.length;
    });
  }

  /** Creates (or re-opens) the delivery of `row` to `endpointId` and queues it if it is first in its session's order. */
  async #queue(tx: Kysely<Database>, row: OutboxRow, endpointId: string, now: number): Promise<void> {
    const sequence = row.sequence ?? 0;
    const existing = await tx.selectFrom('webhook_deliveries').select('id').where('message_id', '=', row.id).where('endpoint_id', '=', endpointId).executeTakeFirst();
    let id: string;
    if (existing) {
      id = existing.id;
      await tx.updateTable('webhook_deliveries').set({
        status: 'pending', round_attempts: 0, version: sql`version + 1`, next_attempt_at: now, delivered_at: null, updated_at: now,
      }).where('id', '=', id).execute();
    } else {
      id = randomId(16);
      await tx.insertInto('webhook_deliveries').values({
        id, message_id: row.id, endpoint_id: endpointId, session_id: row.session_id, sequence, status: 'pending', attempts: 0, round_attempts: 0,
        version: 0, next_attempt_at: now, delivered_at: null, last_error: null, created_at: now, updated_at: now,
      }).execute();
    }
    if (!(await hasEarlierPending(tx, endpointId, row.session_id, sequence))) await queueAttempt(tx, id, now, true);
  }

  async load(deliveryId: string): Promise<DeliveryContext | undefined> {
    const row = await this.#db.selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_outbox as o', 'o.id', 'd.message_id')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .leftJoin('oidc_clients as c', 'c.client_id', 'e.client_id')
      .selectAll('d')
      .select(['o.event_type', 'o.payload', 'o.created_at as message_created_at', 'c.environment'])
      .where('d.id', '=', deliveryId).executeTakeFirst();
    if (!row) return undefined;
    const endpoint = await this.#db.selectFrom('webhook_endpoints').selectAll().where('id', '=', row.endpoint_id).executeTakeFirst();
    if (!endpoint) return undefined;
    return {
      delivery: toDelivery(row),
      message: { id: row.message_id, eventType: row.event_type as PublicEventType, payload: JSON.parse(row.payload), createdAt: row.message_created_at },
      endpoint: toEndpoint(endpoint),
      environment: (row.environment as Environment | null) ?? null,
    };
  }

  hasEarlierPending(delivery: Delivery): Promise<boolean> {
    return hasEarlierPending(this.#db, delivery.endpointId, delivery.sessionId, delivery.sequence);
  }

  async schedule(deliveryId: string, runAt: number): Promise<void> {
    await queueAttempt(this.#db, deliveryId, runAt);
  }

  async recordAttempt(delivery: Delivery, outcome: AttemptOutcome): Promise<boolean> {
    const { attempt } = outcome;
    const now = Date.now();
    return this.#db.transaction().execute(async (tx) => {
      await tx.insertInto('webhook_attempts').values({
        id: randomId(16), message_id: attempt.messageId, endpoint_id: attempt.endpointId, attempt: attempt.attempt, status_code: attempt.statusCode,
        error_code: attempt.errorCode, latency_ms: attempt.latencyMs, response_excerpt: attempt.responseExcerpt, attempted_at: attempt.attemptedAt,
      }).execute();
      const updated = await tx.updateTable('webhook_deliveries').set({
        status: outcome.status,
        attempts: sql`attempts + 1`,
        round_attempts: sql`round_attempts + 1`,
        version: sql`version + 1`,
        next_attempt_at: outcome.retryAt ?? now,
        delivered_at: outcome.status === 'delivered' ? now : null,
        last_error: outcome.success ? null : (attempt.errorCode ?? `http_${attempt.statusCode}`),
        updated_at: now,
      }).where('id', '=', delivery.id).where('version', '=', delivery.version).where('status', '=', 'pending').executeTakeFirst();
      // Replayed, re-enabled or recorded by another runner meanwhile: that change queued what follows.
      if (Number(updated.numUpdatedRows) !== 1) return false;
      if (outcome.status === 'pending') await queueAttempt(tx, delivery.id, outcome.retryAt ?? now);
      else if (delivery.sessionId !== null) await queueNextOfSession(tx, delivery.endpointId, delivery.sessionId, now);
      const endpoint = tx.updateTable('webhook_endpoints').where('id', '=', delivery.endpointId);
      if (outcome.success) {
        await endpoint.set({ failing_since: null, consecutive_failures: 0 })
          .where((eb) => eb.or([eb('consecutive_failures', '>', 0), eb('failing_since', 'is not', null)])).execute();
      } else {
        await endpoint.set({
          consecutive_failures: sql`consecutive_failures + 1`,
          failing_since: sql`COALESCE(failing_since, ${attempt.attemptedAt})`,
          ...(outcome.disable ? { state: 'disabled' as const, disabled_reason: outcome.disable, updated_at: now } : {}),
        }).execute();
        // The client's other endpoints are told (an event, not only a log line): `webhook.endpoint_disabled`.
        if (outcome.disable) await insertEndpointDisabled(tx, delivery.endpointId, outcome.disable, now);
      }
      return true;
    });
  }

  async replay(messageId: string, now: number): Promise<number> {
    return this.#db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('webhook_outbox').select(['id', 'event_type', 'payload', 'created_at', 'session_id', 'client_id', 'sequence'])
        .where('id', '=', messageId).executeTakeFirst();
      if (!row || row.client_id === null) return 0;
      await tx.updateTable('webhook_outbox').set({ dispatched_at: now }).where('id', '=', messageId).where('dispatched_at', 'is', null).execute();
      const endpoints = (await tx.selectFrom('webhook_endpoints').selectAll().where('client_id', '=', row.client_id).where('state', '=', 'enabled').execute())
        .map(toEndpoint).filter((e) => subscribes(e, row.event_type));
      for (const endpoint of endpoints) await this.#queue(tx, row, endpoint.id, now);
      return endpoints.length;
    });
  }

  async attempts(messageId: string): Promise<AttemptRecord[]> {
    const rows = await this.#db.selectFrom('webhook_attempts').selectAll().where('message_id', '=', messageId)
      .orderBy('attempted_at').orderBy('attempt').execute();
    return rows.map((r) => ({
      messageId: r.message_id, endpointId: r.endpoint_id, attempt: r.attempt, statusCode: r.status_code, errorCode: r.error_code,
      latencyMs: r.latency_ms, responseExcerpt: r.response_excerpt, attemptedAt: r.attempted_at,
    }));
  }

  async deliveries(messageId: string): Promise<Delivery[]> {
    return (await this.#db.selectFrom('webhook_deliveries').selectAll().where('message_id', '=', messageId).execute()).map(toDelivery);
  }

  async findMessage(messageId: string): Promise<OutboxMessage | undefined> {
    const row = await this.#db.selectFrom('webhook_outbox').select(['id', 'event_type', 'payload', 'created_at', 'session_id', 'client_id', 'sequence'])
      .where('id', '=', messageId).executeTakeFirst();
    return row ? toMessage(row) : undefined;
  }
}
