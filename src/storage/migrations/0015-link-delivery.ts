import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// Link delivery (Omni Start notification EMAIL / SMS): the language of the message, the capture
// token of the link verid sends (encrypted, so a retry or a re-send carries the same link; only
// for sessions whose link verid delivers), and where the delivery stands (queued, sent, failed).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: SqlDialectName): Promise<void> {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  await db.schema.alterTable('verification_sessions').addColumn('language', 'text').execute();
  await db.schema.alterTable('verification_sessions').addColumn('link_token_encrypted', blob).execute();
  await db.schema.alterTable('verification_sessions').addColumn('delivery_status', 'text').execute();
  await db.schema.alterTable('verification_sessions').addColumn('delivery_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
