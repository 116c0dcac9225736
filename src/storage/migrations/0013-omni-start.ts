import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// Omni Start: sessions started by API clients carry the caller's references, the named flow, where
// to send the person afterwards and how the link is delivered (the candidate's contact is PII:
// encrypted). Client secrets keep every rotated-out secret until its own grace period ends.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: SqlDialectName): Promise<void> {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  await db.schema.alterTable('oidc_clients').addColumn('previous_secrets', 'text').execute();
  await db.schema.alterTable('verification_sessions').addColumn('external_customer_id', 'text').execute();
  await db.schema.alterTable('verification_sessions').addColumn('configuration_id', 'text').execute();
  await db.schema.alterTable('verification_sessions').addColumn('redirection_url', 'text').execute();
  await db.schema.alterTable('verification_sessions').addColumn('notification', 'text').execute();
  await db.schema.alterTable('verification_sessions').addColumn('candidate_encrypted', blob).execute();
  await db.schema.createIndex('verification_sessions_client_created').on('verification_sessions').columns(['client_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('verification_sessions_external').on('verification_sessions').columns(['client_id', 'external_id']).execute();
}
