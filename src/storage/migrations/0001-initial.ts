import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: SqlDialectName): Promise<void> {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  const time = 'bigint';

  await db.schema.createTable('oidc_payloads')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text')
    .addColumn('user_code', 'text')
    .addColumn('uid', 'text')
    .addColumn('expires_at', time)
    .addColumn('consumed_at', time)
    .addPrimaryKeyConstraint('oidc_payloads_pk', ['model', 'id'])
    .execute();
  await db.schema.createIndex('oidc_payloads_grant_id').on('oidc_payloads').column('grant_id').execute();
  await db.schema.createIndex('oidc_payloads_uid').on('oidc_payloads').column('uid').execute();
  await db.schema.createIndex('oidc_payloads_user_code').on('oidc_payloads').column('user_code').execute();
  await db.schema.createIndex('oidc_payloads_expires_at').on('oidc_payloads').column('expires_at').execute();

  await db.schema.createTable('oidc_clients')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text')
    .addColumn('secret_encrypted', blob)
    .addColumn('previous_secret_hash', 'text')
    .addColumn('previous_secret_expires_at', time)
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();

  await db.schema.createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_jwk_encrypted', blob, (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('activated_at', time)
    .addColumn('retired_at', time)
    .addColumn('remove_after', time)
    .execute();

  await db.schema.createTable('identities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lookup_key', 'text', (c) => c.notNull().unique())
    .addColumn('claims_encrypted', blob, (c) => c.notNull())
    .addColumn('face_template_encrypted', blob)
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('last_verified_at', time, (c) => c.notNull())
    .execute();

  await db.schema.createTable('verification_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('interview_code', 'text', (c) => c.notNull().unique())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text')
    .addColumn('interaction_uid', 'text')
    .addColumn('external_id', 'text')
    .addColumn('login_hint_encrypted', blob)
    .addColumn('identity_id', 'text', (c) => c.references('identities.id'))
    .addColumn('scores', 'text')
    .addColumn('document_encrypted', blob)
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('completed_at', time)
    .execute();
  await db.schema.createIndex('verification_sessions_interaction_uid').on('verification_sessions').column('interaction_uid').execute();
  await db.schema.createIndex('verification_sessions_state_expires').on('verification_sessions').columns(['state', 'expires_at']).execute();

  await db.schema.createTable('verification_events')
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('session_id', 'text', (c) => c.notNull().references('verification_sessions.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('verification_events_session').on('verification_events').column('session_id').execute();

  await db.schema.createTable('session_images')
    .addColumn('session_id', 'text', (c) => c.notNull().references('verification_sessions.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('data_encrypted', blob, (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('session_images_pk', ['session_id', 'kind'])
    .execute();

  await db.schema.createTable('webhook_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', time, (c) => c.notNull())
    .addColumn('delivered_at', time)
    .execute();
  await db.schema.createIndex('webhook_outbox_pending').on('webhook_outbox').columns(['delivered_at', 'next_attempt_at']).execute();
}
