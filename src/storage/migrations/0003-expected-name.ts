import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: SqlDialectName): Promise<void> {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  // The name the caller expects on the document (invitation / directory), encrypted like all PII.
  await db.schema.alterTable('verification_sessions').addColumn('expected_name_encrypted', blob).execute();
}
