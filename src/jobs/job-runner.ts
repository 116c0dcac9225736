import { randomBytes } from 'node:crypto';
import type { Job, JobStore } from './job-store.ts';

export type JobHandler = (job: Job) => Promise<void>;

/** What the jobs module logs through (pino or Fastify's logger). */
export interface JobLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobRunnerOptions {
  /** How often an idle runner looks for due jobs. */
  pollMs: number;
  /** How long a claim holds; a runner killed mid-job frees it after this. */
  leaseMs: number;
  /** Jobs claimed at once. */
  batch: number;
  /** Retry delay after the n-th failed attempt: baseBackoffMs × 2^(n−1), at most maxBackoffMs. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  log: JobLog;
}

/** Runs due jobs with their handlers: the same loop in `npm start` and in `verid worker`. */
export class JobRunner {
  readonly #store: JobStore;
  readonly #handlers = new Map<string, JobHandler>();
  readonly #options: JobRunnerOptions;
  readonly worker = `worker-${randomBytes(6).toString('hex')}`;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;

  constructor(store: JobStore, options: JobRunnerOptions) {
    this.#store = store;
    this.#options = options;
  }

  handle(kind: string, handler: JobHandler): this {
    this.#handlers.set(kind, handler);
    return this;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Stops polling and waits for the jobs in hand. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.runDue().then((ran) => this.#schedule(ran > 0 ? 0 : this.#options.pollMs), (error: unknown) => {
        this.#options.log.error({ err: error }, 'jobs: polling failed');
        this.#schedule(this.#options.pollMs);
      });
    }, delay);
    this.#timer.unref();
  }

  /**
   * Claims and runs one batch of due jobs side by side (a webhook waiting on a slow receiver must not
   * hold up the rest of the batch); returns how many ran.
   */
  async runDue(now = Date.now()): Promise<number> {
    const jobs = await this.#store.claim(this.worker, this.#options.batch, this.#options.leaseMs, now);
    await Promise.all(jobs.map((job) => this.#run(job)));
    return jobs.length;
  }

  async #run(job: Job): Promise<void> {
    const handler = this.#handlers.get(job.kind);
    try {
      if (!handler) throw Object.assign(new Error(`no handler for ${job.kind}`), { code: 'no_handler' });
      await handler(job);
      await this.#store.complete(job.id, this.worker);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const retryAt = job.attempts < job.maxAttempts
        ? Date.now() + Math.min(this.#options.baseBackoffMs * 2 ** (job.attempts - 1), this.#options.maxBackoffMs) : null;
      this.#options.log.error({ job: { id: job.id, kind: job.kind, attempts: job.attempts }, err: error }, retryAt ? 'job failed, will retry' : 'job failed, dead');
      await this.#store.fail(job.id, this.worker, typeof code === 'string' ? code : 'error', retryAt);
    }
  }
}
