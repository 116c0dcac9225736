import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// A broker's user (Microsoft Entra external authentication method: tenant + subject of its signed
// id_token_hint) bound to the verid identity that user first verified as, per client. The subject
// is found by keyed hash and kept encrypted (so `verid rekey` can derive the hash again).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: SqlDialectName): Promise<void> {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  await db.schema.createTable('broker_subjects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('subject_index', 'text', (c) => c.notNull())
    .addColumn('subject_encrypted', blob, (c) => c.notNull())
    .addColumn('identity_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('broker_subjects_client_subject').on('broker_subjects').columns(['client_id', 'subject_index']).unique().execute();
  await db.schema.createIndex('broker_subjects_identity').on('broker_subjects').column('identity_id').execute();
}
