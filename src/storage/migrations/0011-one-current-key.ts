import { sql, type Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// One current signing key per algorithm, enforced by the database: instances starting together
// no longer each create their own. Where a race already left several, the oldest stays current
// and the others become `next` (still published, never signing).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: SqlDialectName): Promise<void> {
  const current = await db.selectFrom('signing_keys').select(['kid', 'alg']).where('state', '=', 'current').orderBy('created_at').execute();
  const kept = new Set<string>();
  for (const key of current as Array<{ kid: string; alg: string }>) {
    if (kept.has(key.alg)) await db.updateTable('signing_keys').set({ state: 'next', activated_at: null }).where('kid', '=', key.kid).execute();
    else kept.add(key.alg);
  }
  await db.schema.createIndex('signing_keys_one_current').on('signing_keys').column('alg').unique().where(sql.ref('state'), '=', 'current').execute();
}
