import type { Core } from '../core.ts';
import { JobRepository } from '../storage/index.ts';
import { JobRunner, type JobLog } from './job-runner.ts';
import { installSweeps } from './sweeps.ts';
import { createWebhookPost, installWebhooks } from '../webhooks/index.ts';
import { installLinkDelivery } from '../notify/index.ts';

/** The jobs runner over the core's database, with the sweeps, webhook delivery and link delivery installed. Call `start()` to run the loop. */
export async function createJobs(core: Core, log: JobLog): Promise<{ runner: JobRunner; store: JobRepository }> {
  const { config } = core;
  const store = new JobRepository(core.database.db, core.database.dialect);
  const runner = new JobRunner(store, {
    pollMs: config.jobsPollSeconds * 1000, leaseMs: config.jobsLeaseSeconds * 1000, batch: 10,
    baseBackoffMs: 5_000, maxBackoffMs: 10 * 60_000, log,
  });
  await installSweeps(runner, store, { verification: core.verification, payloads: core.payloads }, {
    intervalMs: config.sweepIntervalSeconds * 1000, processingTimeoutMs: config.processingTimeoutSeconds * 1000, log,
  });
  const { endpoints, deliveries, policy, retryScheduleMs } = core.webhookDelivery;
  await installWebhooks(runner, store, {
    endpoints, deliveries, post: createWebhookPost(policy, config.webhookTimeoutSeconds * 1000),
    settings: {
      retryScheduleMs, disableAfterMs: config.webhookDisableAfterSeconds * 1000, disableAfterFailures: config.webhookDisableAfterFailures, log,
    },
  }, config.webhookDispatchSeconds * 1000);
  installLinkDelivery(runner, config, {
    sessions: core.sessions, clientName: async (clientId) => (await core.clients.find(clientId))?.name ?? null,
  }, log);
  return { runner, store };
}
