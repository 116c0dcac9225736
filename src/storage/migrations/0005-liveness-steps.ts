import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// Liveness steps are revealed one at a time and their frames are judged in the order the server
// received them (issue 7): the challenge records how far it got, frames wait (encrypted) until the
// verdict, and frame digests let a re-used frame be recognised.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: SqlDialectName): Promise<void> {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  await db.schema.alterTable('liveness_challenges').addColumn('revealed', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('liveness_challenges').addColumn('step_revealed_at', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('liveness_challenges').addColumn('subject_key', 'text').execute();
  await db.schema.createIndex('liveness_challenges_subject').on('liveness_challenges').columns(['subject_key', 'issued_at']).execute();

  await db.schema.createTable('liveness_frames')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('challenge_id', 'text', (c) => c.notNull().references('liveness_challenges.id'))
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('frame_count', 'integer', (c) => c.notNull())
    .addColumn('frames_encrypted', blob, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('liveness_frames_challenge').on('liveness_frames').columns(['challenge_id', 'step', 'received_at']).execute();

  await db.schema.createTable('liveness_frame_digests')
    .addColumn('digest', 'text', (c) => c.primaryKey())
    .addColumn('challenge_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
