import { sql, type Kysely } from 'kysely';
import type { SqlDialectName } from '../database.ts';

// Immutable once merged: add a new migration instead of editing this one.
// One counter that every UPDATE or DELETE of a client, an identity or a grant raises, in the same
// transaction, whoever writes: the OIDC endpoints keep those reads in memory only while the
// counter has not moved (src/storage/read-cache.ts). Triggers, not application code, so that no
// write path — another instance, the CLI, rekey, the retention jobs — can forget it.
const WATCHED: Array<{ table: string; when?: string }> = [
  { table: 'oidc_clients' },
  { table: 'identities' },
  { table: 'oidc_payloads', when: "OLD.model = 'Grant'" },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: SqlDialectName): Promise<void> {
  await db.schema.createTable('read_epoch')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('read_epoch').values({ id: 1, value: 0 }).execute();
  if (dialect === 'postgres') {
    await sql`CREATE FUNCTION verid_raise_read_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE read_epoch SET value = value + 1 WHERE id = 1; RETURN NULL; END $$`.execute(db);
  }
  for (const { table, when } of WATCHED) {
    for (const event of ['UPDATE', 'DELETE']) {
      const name = sql.raw(`${table}_${event.toLowerCase()}_raises_read_epoch`);
      const condition = sql.raw(when ? `WHEN (${when})` : '');
      const on = sql.raw(`AFTER ${event} ON ${table}`);
      await (dialect === 'postgres'
        ? sql`CREATE TRIGGER ${name} ${on} FOR EACH ROW ${condition} EXECUTE FUNCTION verid_raise_read_epoch()`
        : sql`CREATE TRIGGER ${name} ${on} FOR EACH ROW ${condition} BEGIN UPDATE read_epoch SET value = value + 1 WHERE id = 1; END`).execute(db);
    }
  }
}
