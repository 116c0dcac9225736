import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: SqlDialectName): Promise<void> {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  // Keyed hash of the identity's e-mail, so a returning user named by login_hint can re-verify.
  await db.schema.alterTable('identities').addColumn('email_index', 'text').execute();
  await db.schema.createIndex('identities_email_index').on('identities').column('email_index').execute();

  await db.schema.alterTable('verification_sessions').addColumn('document_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('verification_sessions').addColumn('face_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema.createTable('liveness_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('verification_sessions.id'))
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('frames_encrypted', blob)
    .execute();
  await db.schema.createIndex('liveness_challenges_session').on('liveness_challenges').column('session_id').execute();
}
