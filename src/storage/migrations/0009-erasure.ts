import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// Retention and deletion (issue 8 §3): when a session's personal data was erased (its non-PII
// record stays) and when an identity was erased (a stub with its id stays).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: SqlDialectName): Promise<void> {
  await db.schema.alterTable('verification_sessions').addColumn('erased_at', 'bigint').execute();
  await db.schema.alterTable('identities').addColumn('erased_at', 'bigint').execute();
  await db.schema.createIndex('verification_sessions_identity').on('verification_sessions').column('identity_id').execute();
  await db.schema.createIndex('verification_sessions_completed').on('verification_sessions').columns(['erased_at', 'completed_at']).execute();
  await db.schema.createIndex('identities_last_verified').on('identities').columns(['erased_at', 'last_verified_at']).execute();
}
