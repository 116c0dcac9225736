/** A unit of background work, claimed by one runner at a time (jobs table; see docs/adr/0005-jobs-table.md). */
export interface Job {
  id: string;
  kind: string;
  /** Ids and settings only — never personal data. */
  payload: Record<string, unknown>;
  /** Tries so far, this one included. */
  attempts: number;
  maxAttempts: number;
}

export interface NewJob {
  kind: string;
  payload?: Record<string, unknown>;
  runAt: number;
  maxAttempts?: number;
  /** At most one queued job with this key: enqueueing another is a no-op (recurring sweeps). */
  uniqueKey?: string;
}

/** Persistence the jobs runner needs; implemented in src/storage (both dialects). */
export interface JobStore {
  enqueue(job: NewJob): Promise<void>;
  /**
   * Claims up to `limit` due jobs for `worker` until `now + leaseMs`: queued ones whose time has
   * come, and running ones whose lease ran out (their runner died). Each claim counts an attempt.
   */
  claim(worker: string, limit: number, leaseMs: number, now: number): Promise<Job[]>;
  /** Done: the job is removed. */
  complete(id: string, worker: string): Promise<void>;
  /** Failed: queued again at `retryAt`, or dead when `retryAt` is null. `error` is a code, not a message with data. */
  fail(id: string, worker: string, error: string, retryAt: number | null): Promise<void>;
}
