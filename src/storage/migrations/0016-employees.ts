import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// B2B: an API client's directory of employees (PII encrypted; the e-mail also as a keyed hash for
// lookups), each bound to the identity of their first successful verification; B2B sessions name
// the employee they verify.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: SqlDialectName): Promise<void> {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  await db.schema.createTable('employees')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('employee_id', 'text')
    .addColumn('email_index', 'text')
    .addColumn('directory_encrypted', blob, (c) => c.notNull())
    .addColumn('identity_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('employees_client_employee_id').on('employees').columns(['client_id', 'employee_id']).unique().execute();
  await db.schema.createIndex('employees_client_email').on('employees').columns(['client_id', 'email_index']).unique().execute();
  await db.schema.createIndex('employees_identity').on('employees').column('identity_id').execute();
  await db.schema.alterTable('verification_sessions').addColumn('employee_id', 'text').execute();
  await db.schema.alterTable('verification_sessions').addColumn('b2b_reason', 'text').execute();
  await db.schema.createIndex('verification_sessions_employee').on('verification_sessions').column('employee_id').execute();
}
