import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// oidc_payloads rows are now keyed by keyed hashes and their payloads encrypted (issue 8): rows
// written before held tokens, codes and session ids in clear and cannot be read the new way. They
// are deleted: everyone signs in once more, and refresh tokens issued before must be obtained again.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: SqlDialectName): Promise<void> {
  await db.deleteFrom('oidc_payloads').execute();
}
