import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// SCIM clients look users up by userName before every create (`filter=userName eq "…"`): a keyed
// hash of the lower-cased userName finds them without decrypting the directory. Rows written before
// this migration get theirs the first time a lookup meets them (employee-repository.ts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: SqlDialectName): Promise<void> {
  await db.schema.alterTable('employees').addColumn('user_name_index', 'text').execute();
  await db.schema.createIndex('employees_user_name').on('employees').columns(['client_id', 'user_name_index']).execute();
}
