import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// Consent before capture (BIPA, GDPR Art. 9): when it was given and which text the person saw.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: SqlDialectName): Promise<void> {
  await db.schema.alterTable('verification_sessions').addColumn('consent_at', 'bigint').execute();
  await db.schema.alterTable('verification_sessions').addColumn('consent_version', 'text').execute();
}
