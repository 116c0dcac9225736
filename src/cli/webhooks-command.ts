import type { Command } from 'commander';
import type { Config } from '../config/index.ts';
import { createCore, type Core } from '../core.ts';
import type { AttemptRecord, Delivery, WebhookEndpoint } from '../webhooks/index.ts';
import { print, type Output } from './output.ts';

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

function describe(endpoint: WebhookEndpoint) {
  return {
    endpoint_id: endpoint.id,
    client_id: endpoint.clientId,
    url: endpoint.url,
    events: endpoint.eventTypes.length > 0 ? endpoint.eventTypes : 'all',
    state: endpoint.state,
    disabled_reason: endpoint.disabledReason,
    failing_since: iso(endpoint.failingSince),
    consecutive_failures: endpoint.consecutiveFailures,
    previous_secret_valid_until: endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > Date.now() ? iso(endpoint.previousSecretExpiresAt) : null,
    created_at: iso(endpoint.createdAt),
  };
}

const describeDelivery = (d: Delivery) => ({
  endpoint_id: d.endpointId, status: d.status, attempts: d.attempts, next_attempt_at: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
});

const describeAttempt = (a: AttemptRecord) => ({
  endpoint_id: a.endpointId, attempt: a.attempt, at: iso(a.attemptedAt), status_code: a.statusCode, error_code: a.errorCode,
  latency_ms: a.latencyMs, response_excerpt: a.responseExcerpt,
});

export function webhooksCommand(program: Command, config: () => Config, output: () => Output): void {
  const webhooks = program.command('webhooks').description('Webhook endpoints (Standard Webhooks) and their deliveries');

  /** Runs `work` on a core and closes it. */
  async function withCore<T>(work: (core: Core) => Promise<T>): Promise<T> {
    const core = await createCore(config());
    try {
      return await work(core);
    } finally {
      await core.close();
    }
  }

  webhooks.command('add')
    .description('Register an endpoint for a client; prints its signing secret once')
    .requiredOption('--client <clientId>', 'the client whose sessions\' events it receives')
    .requiredOption('--url <url>', 'https URL (http only for demo clients); private addresses are refused')
    .option('--events <types>', 'comma-separated event types (default: all)')
    .action(async (opts: { client: string; url: string; events?: string }) => {
      const eventTypes = opts.events?.split(',').map((e) => e.trim()).filter(Boolean);
      const { endpoint, secret } = await withCore((core) => core.webhooks.addEndpoint({ clientId: opts.client, url: opts.url, eventTypes }));
      print(output(), { ...describe(endpoint), secret }, 'Store the secret now (it verifies the webhook-signature header): it is not shown again.');
    });

  webhooks.command('list').description('List endpoints (never their secrets)').option('--client <clientId>', 'only this client\'s')
    .action(async (opts: { client?: string }) => {
      print(output(), (await withCore((core) => core.webhooks.list(opts.client))).map(describe));
    });

  webhooks.command('rotate-secret <endpointId>')
    .description('Issue a new secret; the previous one also signs for VERID_WEBHOOK_SECRET_OVERLAP_SECONDS')
    .action(async (endpointId: string) => {
      const { endpoint, secret } = await withCore((core) => core.webhooks.rotateSecret(endpointId));
      print(output(), { ...describe(endpoint), secret }, 'Store the new secret now: it is not shown again.');
    });

  webhooks.command('delete <endpointId>').description('Delete an endpoint and its pending deliveries').action(async (endpointId: string) => {
    await withCore((core) => core.webhooks.delete(endpointId));
    print(output(), { endpoint_id: endpointId, deleted: true });
  });

  webhooks.command('enable <endpointId>')
    .description('Enable an endpoint disabled after failing; its parked deliveries are retried now')
    .action(async (endpointId: string) => {
      print(output(), describe(await withCore((core) => core.webhooks.enable(endpointId))));
    });

  webhooks.command('replay <eventId>').description('Deliver an event again, with the same webhook-id').action(async (eventId: string) => {
    const result = await withCore((core) => core.webhooks.replay(eventId));
    print(output(), { webhook_id: result.webhookId, endpoints: result.endpoints });
  });

  webhooks.command('attempts <eventId>').description('Delivery state and every attempt of an event').action(async (eventId: string) => {
    const result = await withCore((core) => core.webhooks.attempts(eventId));
    print(output(), { webhook_id: result.webhookId, deliveries: result.deliveries.map(describeDelivery), attempts: result.attempts.map(describeAttempt) });
  });
}
