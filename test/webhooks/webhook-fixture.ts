import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JobRunner } from '../../src/jobs/job-runner.ts';
import { DataCipher } from '../../src/security/index.ts';
import {
  ClientRepository, JobRepository, migrateToLatest, openDatabase, SessionRepository, WebhookDeliveryRepository, WebhookEndpointRepository,
  type DatabaseHandle,
} from '../../src/storage/index.ts';
import type { PublicEventPayload, PublicEventType, SessionEvent, SessionState } from '../../src/verification/index.ts';
import { createWebhookPost, installWebhooks, parseOutboundPolicy, WebhookService, type DeliverySettings } from '../../src/webhooks/index.ts';
import { createTestDatabaseUrl, postgresUrl } from '../helpers/test-database.ts';

export const backends: Array<'sqlite' | 'postgres'> = postgresUrl() ? ['sqlite', 'postgres'] : ['sqlite'];

/** Opens an empty, migrated database of `dialect`; `env` is what a child process needs to open the same one. */
export async function openTestDatabase(dialect: 'sqlite' | 'postgres') {
  const dir = await mkdtemp(path.join(tmpdir(), 'verid-webhooks-'));
  const pg = dialect === 'postgres' ? await createTestDatabaseUrl() : undefined;
  const handle: DatabaseHandle = openDatabase({ databaseUrl: pg?.url ?? null, dataDir: dir });
  await migrateToLatest(handle.db, handle.dialect);
  return {
    handle, dir, env: { VERID_DATA_DIR: dir, DATABASE_URL: pg?.url ?? '' },
    async drop() {
      await handle.close();
      await pg?.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const MASTER_KEY = 'webhook-test-master-key-0123456789abcdef';
export const LOOPBACK = parseOutboundPolicy(false, '127.0.0.0/8');

const STATE_AFTER: Record<PublicEventType, SessionState> = {
  'session.succeeded': 'succeeded', 'session.failed': 'failed', 'session.pending_review': 'pending_review', 'session.expired': 'expired',
  'review.approved': 'approved', 'review.rejected': 'rejected', 'session.closed': 'closed',
  // Not a state change (the link could not be sent); these fixtures do not produce it.
  'link.delivery_failed': 'created',
};

/** The stores, a service and a jobs runner with webhook delivery over one database. */
export async function webhookRig(handle: DatabaseHandle, settings: Partial<DeliverySettings> = {}, options: { timeoutMs?: number } = {}) {
  const cipher = new DataCipher(MASTER_KEY);
  const clients = new ClientRepository(handle.db, cipher);
  const sessions = new SessionRepository(handle.db, cipher);
  const endpoints = new WebhookEndpointRepository(handle.db, cipher);
  const deliveries = new WebhookDeliveryRepository(handle.db, handle.dialect);
  const jobs = new JobRepository(handle.db, handle.dialect);
  const service = new WebhookService({ endpoints, deliveries, clients, policy: LOOPBACK, secretOverlapMs: 60_000 });
  const logged: Array<{ obj: object; msg: string }> = [];
  const log = { info: (obj: object, msg: string) => logged.push({ obj, msg }), error: (obj: object, msg: string) => logged.push({ obj, msg }) };
  const runner = () => {
    const r = new JobRunner(jobs, { pollMs: 20, leaseMs: 30_000, batch: 10, baseBackoffMs: 10, maxBackoffMs: 10, log });
    return installWebhooks(r, jobs, {
      endpoints, deliveries, post: createWebhookPost(LOOPBACK, options.timeoutMs ?? 2_000),
      settings: { retryScheduleMs: [0, 0, 0, 0, 0], disableAfterMs: 3_600_000, disableAfterFailures: 100, log, ...settings },
    }, 0).then(() => r);
  };
  let sessionCount = 0;
  return {
    clients, sessions, endpoints, deliveries, jobs, service, logged, runner,
    async client(clientId: string, environment: 'demo' | 'production' = 'demo') {
      await clients.create({ clientId, name: clientId, environment, metadata: {}, secretHash: null, secretForHmac: null });
    },
    /** A session of `clientId` that goes through `events` (real outbox rows); returns its id. */
    async session(clientId: string, events: PublicEventType[]): Promise<string> {
      const id = `s${++sessionCount}-${Math.random().toString(36).slice(2, 8)}`;
      await sessions.create({
        interviewId: id, interviewCode: id.slice(0, 6).toUpperCase() + sessionCount, tokenHash: `t-${id}`, origin: 'omni', mode: 'enroll', environment: 'demo',
        clientId, interactionUid: null, externalId: `ext-${id}`, loginHint: null, expiresAt: Date.now() + 60_000,
      }, { type: 'session.created', data: { origin: 'omni', mode: 'enroll', environment: 'demo' } });
      let state: SessionState = 'created';
      for (const type of events) {
        const to = STATE_AFTER[type];
        const payload = { interviewId: id, clientId, origin: 'omni', environment: 'demo', state: to, reasons: ['a_reason'], externalId: `ext-${id}` } as PublicEventPayload;
        const ok = await sessions.transition(id, state, to, { type, data: { reasons: [], reason: 'checked' } } as unknown as SessionEvent, {},
          { eventType: type, clientId, payload });
        if (!ok) throw new Error('transition refused');
        state = to;
      }
      return id;
    },
    async outbox(sessionId: string) {
      return handle.db.selectFrom('webhook_outbox').select(['id', 'event_type', 'sequence']).where('session_id', '=', sessionId).orderBy('sequence').execute();
    },
  };
}

/** Runs due jobs until `done()` or `maxRounds` rounds. */
export async function drain(runner: JobRunner, done: () => boolean | Promise<boolean>, maxRounds = 200): Promise<void> {
  for (let round = 0; round < maxRounds; round++) {
    if (await done()) return;
    if ((await runner.runDue()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!(await done())) throw new Error('not done after draining');
}
