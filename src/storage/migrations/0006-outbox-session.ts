import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// An outbox row names its session and the client that owns it, so delivery (the webhooks work)
// finds the endpoint without reading the payload.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: SqlDialectName): Promise<void> {
  await db.schema.alterTable('webhook_outbox').addColumn('session_id', 'text').execute();
  await db.schema.alterTable('webhook_outbox').addColumn('client_id', 'text').execute();
  await db.schema.createIndex('webhook_outbox_session').on('webhook_outbox').column('session_id').execute();
}
