import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// A liveness frame digest is a keyed hash of a frame that is no longer stored, so a master-key
// rotation cannot recompute it: the digest records its key's id, and `verid rekey` drops the
// previous key's (and those written before ids were recorded, NULL here).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: SqlDialectName): Promise<void> {
  await db.schema.alterTable('liveness_frame_digests').addColumn('key_id', 'text').execute();
}
