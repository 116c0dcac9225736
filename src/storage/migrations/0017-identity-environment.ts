import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// Demo and production identities are apart: a demo enrolment (test documents, test faces) is never a
// duplicate of a production one, nor the other way round. Existing identities are production's.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: SqlDialectName): Promise<void> {
  await db.schema.alterTable('identities').addColumn('environment', 'text', (c) => c.notNull().defaultTo('production')).execute();
}
