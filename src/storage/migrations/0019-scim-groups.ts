import { sql, type Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// SCIM 2.0 Groups: an API client's groups (display name unique per client, not personal data) and
// their members, which are that client's employees; deleting a group or an employee removes the
// membership rows with it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: SqlDialectName): Promise<void> {
  await db.schema.createTable('scim_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // displayName is not case-exact (RFC 7643 §4.2): "Sales" and "sales" are one group.
  await db.schema.createIndex('scim_groups_client_display_name').on('scim_groups').expression(sql`client_id, lower(display_name)`).unique().execute();
  await db.schema.createTable('scim_group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('scim_groups.id').onDelete('cascade'))
    .addColumn('employee_id', 'text', (c) => c.notNull().references('employees.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('scim_group_members_pk', ['group_id', 'employee_id'])
    .execute();
  await db.schema.createIndex('scim_group_members_employee').on('scim_group_members').column('employee_id').execute();
}
