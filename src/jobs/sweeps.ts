import type { JobLog, JobRunner } from './job-runner.ts';
import type { JobStore } from './job-store.ts';

/** What the sweeps act on (the core provides it). */
export interface SweepTargets {
  verification: {
    expireDue(now?: number): Promise<number>;
    recoverStuck(timeoutMs: number, now?: number): Promise<number>;
    purgeRetention(now?: number): Promise<{ sessions: number; identities: number; records: number }>;
    purgeStaleLiveness(now?: number): Promise<number>;
  };
  payloads: { purgeExpired(now?: number): Promise<number> };
}

export interface SweepSettings {
  intervalMs: number;
  processingTimeoutMs: number;
  log: Pick<JobLog, 'info'>;
}

/** The recurring jobs: each runs, then queues its next run (one queued at a time, by its unique key). */
export const SWEEPS = {
  'sessions.expire': (t: SweepTargets) => t.verification.expireDue(),
  'sessions.recover_processing': (t: SweepTargets, s: SweepSettings) => t.verification.recoverStuck(s.processingTimeoutMs),
  'oidc.purge_expired': (t: SweepTargets) => t.payloads.purgeExpired(),
  'liveness.purge_stale': (t: SweepTargets) => t.verification.purgeStaleLiveness(),
  'retention.purge': async (t: SweepTargets) => {
    const done = await t.verification.purgeRetention();
    return done.sessions + done.identities + done.records;
  },
} as const satisfies Record<string, (t: SweepTargets, s: SweepSettings) => Promise<number>>;

/**
 * A sweep that fails is retried (backoff up to 10 min) for as long as it takes — a database outage
 * must not leave retention or expiry stopped until the next restart.
 */
const RECURRING_ATTEMPTS = 1_000_000;

/** Registers the sweeps' handlers and queues each one that is not queued yet (safe on every start, on every instance). */
export async function installSweeps(runner: JobRunner, store: JobStore, targets: SweepTargets, settings: SweepSettings): Promise<void> {
  for (const [kind, sweep] of Object.entries(SWEEPS)) {
    runner.handle(kind, async () => {
      const count = await sweep(targets, settings);
      if (count > 0) settings.log.info({ job: kind, count }, 'sweep');
      await store.enqueue({ kind, uniqueKey: kind, runAt: Date.now() + settings.intervalMs, maxAttempts: RECURRING_ATTEMPTS });
    });
    await store.enqueue({ kind, uniqueKey: kind, runAt: Date.now(), maxAttempts: RECURRING_ATTEMPTS });
  }
}
