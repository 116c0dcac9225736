import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { DataCipher } from '../security/index.ts';
import { REKEY_TABLES, type Plan, type RekeyRow, type RekeyTable } from './rekey-tables.ts';

// One loop serves every table, so rows and columns are addressed by name here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTx = Transaction<any>;

export interface RekeyTableReport {
  table: string;
  /** Rows rewritten under the current key (re-encrypted, keyed columns recomputed). */
  rekeyed: number;
  /** Rows already under the current key: left alone. */
  current: number;
  /** Rows deleted because they cannot be carried over (see docs/security.md, Key rotation). */
  dropped: number;
}

/** How many times a row changed by a running server is read again before giving up. */
const ATTEMPTS = 3;

/**
 * `verid rekey`: moves every row written under VERID_MASTER_KEY_PREVIOUS to VERID_MASTER_KEY, one
 * table after the other, in batches. Each row is rewritten with a compare-and-set on the values it
 * was read with, so a server writing the same row meanwhile wins and the row is read again; a crash
 * leaves whole batches done, and a second run skips every row already under the current key.
 * Signing keys come last: servers check them at start, so they move only once the rest has.
 */
export async function rekeyDatabase(
  db: AnyDb, cipher: DataCipher, options: { batchSize?: number; onTable?: (report: RekeyTableReport) => void } = {},
): Promise<RekeyTableReport[]> {
  const reports: RekeyTableReport[] = [];
  for (const spec of REKEY_TABLES) {
    const report = await rekeyTable(db, cipher, spec, options.batchSize ?? 100);
    options.onTable?.(report);
    reports.push(report);
  }
  return reports;
}

async function rekeyTable(db: AnyDb, cipher: DataCipher, spec: RekeyTable, batchSize: number): Promise<RekeyTableReport> {
  const report = { table: spec.table, rekeyed: 0, current: 0, dropped: 0 };
  let after: RekeyRow | undefined;
  for (;;) {
    const rows = await page(db, spec, after, batchSize);
    if (rows.length === 0) return report;
    await db.transaction().execute(async (tx) => {
      for (const row of rows) {
        const outcome = await settle(tx, cipher, spec, row);
        report[outcome] += 1;
      }
    });
    after = rows.at(-1);
  }
}

async function settle(tx: AnyTx, cipher: DataCipher, spec: RekeyTable, read: RekeyRow): Promise<'rekeyed' | 'current' | 'dropped'> {
  let row: RekeyRow | undefined = read;
  for (let attempt = 0; attempt < ATTEMPTS && row; attempt++) {
    const plan = await spec.plan(row, { cipher, db: tx });
    if (!plan) return 'current';
    if (await apply(tx, spec, row, plan)) return plan.kind === 'drop' ? 'dropped' : 'rekeyed';
    row = await reload(tx, spec, row);
  }
  if (!row) return 'current';
  throw new Error(`${spec.table} (${describeKey(spec, read)}) kept changing while it was re-encrypted: run verid rekey again`);
}

/** The compare-and-set: the row is rewritten only if the columns the plan depends on still hold what was read. */
async function apply(tx: AnyTx, spec: RekeyTable, row: RekeyRow, plan: Plan): Promise<boolean> {
  const asRead = (eb: ExpressionBuilder<any, any>) => // eslint-disable-line @typescript-eslint/no-explicit-any
    eb.and([...spec.key, ...plan.expect].map((column) => (row[column] === null ? eb(column, 'is', null) : eb(column, '=', row[column]))));
  if (plan.kind === 'update') {
    const result = await tx.updateTable(spec.table).set(plan.set).where(asRead).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
  const deleted = await tx.deleteFrom(spec.table).where(asRead).executeTakeFirst();
  if (Number(deleted.numDeletedRows) !== 1) return false;
  // A copy the server already saved under the current key is newer than this one: it stays.
  if (plan.kind === 'replace') await tx.insertInto(spec.table).values(plan.row).onConflict((oc) => oc.columns([...spec.key]).doNothing()).execute();
  return true;
}

function page(db: AnyDb | AnyTx, spec: RekeyTable, after: RekeyRow | undefined, limit: number): Promise<RekeyRow[]> {
  const [first, second] = spec.key as [string, string?];
  let query = db.selectFrom(spec.table).selectAll();
  if (after && second) {
    query = query.where((eb) => eb.or([eb(first, '>', after[first]), eb.and([eb(first, '=', after[first]), eb(second, '>', after[second])])]));
  } else if (after) {
    query = query.where(first, '>', after[first]);
  }
  for (const column of spec.key) query = query.orderBy(column);
  return query.limit(limit).execute();
}

async function reload(tx: AnyTx, spec: RekeyTable, row: RekeyRow): Promise<RekeyRow | undefined> {
  let query = tx.selectFrom(spec.table).selectAll();
  for (const column of spec.key) query = query.where(column, '=', row[column]);
  return query.executeTakeFirst();
}

function describeKey(spec: Pick<RekeyTable, 'key'>, row: RekeyRow): string {
  return spec.key.map((column) => `${column} ${String(row[column])}`).join(', ');
}
