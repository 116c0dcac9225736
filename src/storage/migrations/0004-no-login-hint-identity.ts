import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// A browser's login_hint used to be stored with the session and as the identity's e-mail, and picked
// whose face a selfie was compared with (issue 7). It is no longer stored or used: drop what was kept.
// The e-mail inside older encrypted identity claims is never served and is rewritten at the next enrolment.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: SqlDialectName): Promise<void> {
  await db.schema.dropIndex('identities_email_index').execute();
  await db.updateTable('identities').set({ email_index: null }).execute();
  await db.updateTable('verification_sessions').set({ login_hint_encrypted: null }).execute();
}
