import { sql, type Kysely } from 'kysely';
import type { Job, JobStore, NewJob } from '../jobs/job-store.ts';
import { randomId } from '../security/index.ts';
import type { SqlDialectName } from './database.ts';
import { isUniqueViolation } from './unique-violation.ts';
import type { Database } from './database-schema.ts';

/**
 * Queues `job` through `db` — a transaction, when the job must commit with the change that causes it
 * (webhook deliveries). A job with the `uniqueKey` of a queued one is not added.
 */
export async function insertJob(db: Kysely<Database>, job: NewJob): Promise<void> {
  const now = Date.now();
  await db.insertInto('jobs').values({
    id: randomId(16), kind: job.kind, payload: JSON.stringify(job.payload ?? {}), status: 'queued', unique_key: job.uniqueKey ?? null,
    run_at: job.runAt, attempts: 0, max_attempts: job.maxAttempts ?? 5, locked_by: null, locked_until: null, last_error: null,
    created_at: now, updated_at: now,
  }).onConflict((oc) => oc.doNothing()).execute();
}

/**
 * Jobs as rows. A claim is one transaction: on PostgreSQL the due rows are locked with
 * `FOR UPDATE SKIP LOCKED`, so any number of `verid worker` processes share the table without
 * taking the same job; SQLite has one writer at a time, so its transaction alone is enough.
 */
export class JobRepository implements JobStore {
  readonly #db: Kysely<Database>;
  readonly #dialect: SqlDialectName;

  constructor(db: Kysely<Database>, dialect: SqlDialectName) {
    this.#db = db;
    this.#dialect = dialect;
  }

  async enqueue(job: NewJob): Promise<void> {
    await insertJob(this.#db, job);
  }

  async claim(worker: string, limit: number, leaseMs: number, now: number): Promise<Job[]> {
    return this.#db.transaction().execute(async (tx) => {
      let due = tx.selectFrom('jobs').select('id')
        .where((eb) => eb.or([
          eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
        ]))
        .orderBy('run_at').limit(limit);
      if (this.#dialect === 'postgres') due = due.forUpdate().skipLocked();
      const ids = (await due.execute()).map((row) => row.id);
      if (ids.length === 0) return [];
      await tx.updateTable('jobs')
        .set({ status: 'running', locked_by: worker, locked_until: now + leaseMs, attempts: sql`attempts + 1`, updated_at: now })
        .where('id', 'in', ids).execute();
      const rows = await tx.selectFrom('jobs').selectAll().where('id', 'in', ids).orderBy('run_at').execute();
      return rows.map((row) => ({ id: row.id, kind: row.kind, payload: JSON.parse(row.payload), attempts: row.attempts, maxAttempts: row.max_attempts }));
    });
  }

  async complete(id: string, worker: string): Promise<void> {
    await this.#db.deleteFrom('jobs').where('id', '=', id).where('locked_by', '=', worker).execute();
  }

  async fail(id: string, worker: string, error: string, retryAt: number | null): Promise<void> {
    try {
      await this.#db.updateTable('jobs').set({
        status: retryAt === null ? 'dead' : 'queued', run_at: retryAt ?? sql`run_at`, locked_by: null, locked_until: null,
        last_error: error.slice(0, 64), updated_at: Date.now(),
      }).where('id', '=', id).where('locked_by', '=', worker).execute();
    } catch (failure) {
      // A keyed job whose next run is already queued: that one will do the work, this retry is dropped.
      if (!isUniqueViolation(failure)) throw failure;
      await this.#db.deleteFrom('jobs').where('id', '=', id).where('locked_by', '=', worker).execute();
    }
  }

  /** Counts by status, for `verid jobs` and tests. */
  async counts(): Promise<Record<string, number>> {
    const rows = await this.#db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  }
}
