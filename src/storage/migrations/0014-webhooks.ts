import { sql, type Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// Webhook delivery (docs/webhooks.md): endpoints per client, one delivery state per outbox message
// and endpoint, every attempt recorded. Outbox rows get a per-session sequence (delivery order) and
// the time they were handed to delivery.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: SqlDialectName): Promise<void> {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  const time = 'bigint';

  await db.schema.createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('secret_encrypted', blob, (c) => c.notNull())
    .addColumn('previous_secret_encrypted', blob)
    .addColumn('previous_secret_expires_at', time)
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('disabled_reason', 'text')
    .addColumn('failing_since', time)
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_endpoints_client').on('webhook_endpoints').column('client_id').execute();

  await db.schema.createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('round_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', time, (c) => c.notNull())
    .addColumn('delivered_at', time)
    .addColumn('last_error', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addUniqueConstraint('webhook_deliveries_message_endpoint', ['message_id', 'endpoint_id'])
    .execute();
  await db.schema.createIndex('webhook_deliveries_order').on('webhook_deliveries').columns(['endpoint_id', 'session_id', 'status', 'sequence']).execute();

  await db.schema.createTable('webhook_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error_code', 'text')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('response_excerpt', 'text')
    .addColumn('attempted_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_attempts_message').on('webhook_attempts').columns(['message_id', 'attempted_at']).execute();

  await db.schema.alterTable('webhook_outbox').addColumn('sequence', 'integer').execute();
  await db.schema.alterTable('webhook_outbox').addColumn('dispatched_at', time).execute();
  await db.schema.createIndex('webhook_outbox_undispatched').on('webhook_outbox').columns(['dispatched_at', 'created_at']).execute();
  // Rows written before this migration: their order within the session, by time then id.
  await sql`UPDATE webhook_outbox SET sequence = (
    SELECT COUNT(*) FROM webhook_outbox o2 WHERE o2.session_id = webhook_outbox.session_id
      AND (o2.created_at < webhook_outbox.created_at OR (o2.created_at = webhook_outbox.created_at AND o2.id <= webhook_outbox.id)))`.execute(db);
}
