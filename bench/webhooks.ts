// Webhook delivery under failure (docs/webhooks.md): 1 000 public events written through the
// repository layer (real outbox rows, in the transition's transaction) while a real `verid worker`
// delivers them to a loopback receiver that answers 500 to 30 % of first attempts. The worker is
// killed with SIGKILL twice mid-run and started again. Counts events delivered, lost (never
// acknowledged) and duplicates (acknowledged more than once, same webhook-id), checks the order per
// session, and the delivery latency (event written → first 2xx at the receiver).
// The retry schedule is shortened (VERID_WEBHOOK_RETRY_SCHEDULE, printed) so the run takes seconds.
// Run: npm run bench:webhooks [-- --events 1000 --seconds 15]; with DATABASE_URL, on a scratch PostgreSQL database.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { DataCipher } from '../src/security/index.ts';
import {
  ClientRepository, migrateToLatest, openDatabase, SessionRepository, WebhookDeliveryRepository, WebhookEndpointRepository,
} from '../src/storage/index.ts';
import type { PublicEventPayload, PublicEventType, SessionEvent, SessionState } from '../src/verification/index.ts';
import { parseOutboundPolicy, WebhookService } from '../src/webhooks/index.ts';
import { createTestDatabaseUrl } from '../test/helpers/test-database.ts';
import { percentile } from './support/omni-client.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '15' } } });
const EVENTS = Number(values.events);
const PRODUCE_MS = Number(values.seconds) * 1000;
const SCHEDULE = '1,2,4,8,16,32';
const MASTER_KEY = 'bench-webhooks-master-key-0123456789abcdef';

// The receiver: 30 % of webhook-ids get a 500 on their first attempt.
const firstSeen = new Map<string, number>();
const acked = new Map<string, { at: number; count: number }>();
const orderOf = new Map<string, string[]>();
let requests = 0;
let failedFirst = 0;
const receiver = createServer(async (request, response) => {
  for await (const chunk of request) void chunk;
  requests++;
  const id = String(request.headers['webhook-id']);
  if (!firstSeen.has(id)) {
    firstSeen.set(id, Date.now());
    if (Math.random() < 0.3) {
      failedFirst++;
      return response.writeHead(500).end();
    }
  }
  const done = acked.get(id);
  if (done) done.count++;
  else acked.set(id, { at: Date.now(), count: 1 });
  response.writeHead(204).end();
});
receiver.listen(0, '127.0.0.1');
await once(receiver, 'listening');
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

const dataDir = await mkdtemp(path.join(tmpdir(), 'verid-bench-webhooks-'));
// With DATABASE_URL: a fresh PostgreSQL database on that server, dropped at the end.
const scratch = process.env.DATABASE_URL ? await createTestDatabaseUrl() : undefined;
const databaseUrl = scratch?.url ?? null;
const database = openDatabase({ databaseUrl, dataDir });
await migrateToLatest(database.db, database.dialect);
const cipher = new DataCipher(MASTER_KEY);
const clients = new ClientRepository(database.db, cipher);
const sessions = new SessionRepository(database.db, cipher);
await clients.create({ clientId: 'bench', name: 'bench', environment: 'demo', metadata: {}, secretHash: null, secretForHmac: null });
const service = new WebhookService({
  endpoints: new WebhookEndpointRepository(database.db, cipher), deliveries: new WebhookDeliveryRepository(database.db, database.dialect), clients,
  policy: parseOutboundPolicy(false, '127.0.0.0/8'), secretOverlapMs: 0,
});
await service.addEndpoint({ clientId: 'bench', url: receiverUrl });

let worker: ChildProcess | undefined;
const startWorker = () => {
  worker = spawn(process.execPath, [new URL('../bin/verid.js', import.meta.url).pathname, 'worker'], {
    env: {
      ...process.env, VERID_DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', VERID_MASTER_KEY: MASTER_KEY, LOG_LEVEL: 'silent',
      VERID_WEBHOOK_ALLOW_CIDRS: '127.0.0.0/8', VERID_WEBHOOK_RETRY_SCHEDULE: SCHEDULE, VERID_JOBS_POLL_SECONDS: '1', VERID_JOBS_LEASE_SECONDS: '5',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
};

// Two kinds of sessions: review ones (pending_review then approved: their order is checked) and single decisions.
const STATE_AFTER: Record<PublicEventType, SessionState> = {
  'session.succeeded': 'succeeded', 'session.failed': 'failed', 'session.pending_review': 'pending_review', 'session.expired': 'expired',
  'review.approved': 'approved', 'review.rejected': 'rejected', 'session.closed': 'closed',
  // Not a state change (the link could not be sent); these fixtures do not produce it.
  'link.delivery_failed': 'created',
};
const plans: PublicEventType[][] = [];
for (let n = 0; n < EVENTS;) {
  const plan: PublicEventType[] = n + 2 <= EVENTS && plans.length % 3 !== 2 ? ['session.pending_review', 'review.approved'] : ['session.succeeded'];
  plans.push(plan);
  n += plan.length;
}
const created = new Map<string, number>();
const sessionOf = new Map<string, string>();
async function produce(index: number, plan: PublicEventType[]): Promise<void> {
  const id = `bench-${index}`;
  await sessions.create({
    interviewId: id, interviewCode: `B${index}`, tokenHash: `t-${id}`, origin: 'omni', mode: 'enroll', environment: 'demo', clientId: 'bench',
    interactionUid: null, externalId: `ext-${index}`, loginHint: null, expiresAt: Date.now() + 3_600_000,
  }, { type: 'session.created', data: { origin: 'omni', mode: 'enroll', environment: 'demo' } });
  let state: SessionState = 'created';
  for (const type of plan) {
    const to = STATE_AFTER[type];
    const payload = { interviewId: id, clientId: 'bench', origin: 'omni', environment: 'demo', state: to, reasons: [], externalId: `ext-${index}` } as PublicEventPayload;
    const at = Date.now();
    await sessions.transition(id, state, to, { type, data: { reasons: [], reason: 'bench' } } as unknown as SessionEvent, {}, { eventType: type, clientId: 'bench', payload });
    state = to;
    const row = await database.db.selectFrom('webhook_outbox').select('id').where('session_id', '=', id).where('event_type', '=', type).executeTakeFirstOrThrow();
    created.set(`msg_${row.id}`, at);
    sessionOf.set(`msg_${row.id}`, id);
  }
}

const started = Date.now();
startWorker();
const kills: number[] = [];
const killAt = [PRODUCE_MS / 3, (2 * PRODUCE_MS) / 3];
for (const [index, plan] of plans.entries()) {
  const due = started + (index / plans.length) * PRODUCE_MS;
  if (due > Date.now()) await sleep(due - Date.now());
  await produce(index, plan);
  if (killAt.length > 0 && Date.now() - started >= killAt[0]!) {
    killAt.shift();
    worker!.kill('SIGKILL');
    await once(worker!, 'exit');
    kills.push(Date.now() - started);
    startWorker();
  }
}
const producedAt = Date.now();
const deadline = producedAt + 180_000;
while (acked.size < created.size && Date.now() < deadline) await sleep(200);
worker!.kill('SIGTERM');
await once(worker!, 'exit');

// Order per session: the receiver acknowledged each session's events in the order they happened.
for (const [id, ack] of [...acked.entries()].sort((a, b) => a[1].at - b[1].at)) {
  const session = sessionOf.get(id);
  if (session) orderOf.set(session, [...(orderOf.get(session) ?? []), id]);
}
let outOfOrder = 0;
for (const ids of orderOf.values()) if (ids.some((id, i) => i > 0 && created.get(id)! < created.get(ids[i - 1]!)!)) outOfOrder++;

const latencies = [...created.entries()].filter(([id]) => acked.has(id)).map(([id, at]) => acked.get(id)!.at - at).sort((a, b) => a - b);
const delivered = [...created.keys()].filter((id) => acked.has(id)).length;
const duplicates = [...acked.values()].reduce((sum, a) => sum + a.count - 1, 0);
console.log(`webhooks: ${created.size} events over ${(PRODUCE_MS / 1000).toFixed(0)} s from ${plans.length} sessions, ${database.dialect}, one \`verid worker\` killed -9 at ${kills.map((k) => `${(k / 1000).toFixed(1)} s`).join(' and ')} and restarted`);
console.log(`retry schedule shortened for the bench: VERID_WEBHOOK_RETRY_SCHEDULE=${SCHEDULE} (default ~75 h); jobs poll 1 s, lease 5 s`);
console.log('| measure | value |\n|---|---|');
console.log(`| requests received | ${requests} |`);
console.log(`| first attempts answered 500 | ${failedFirst} |`);
console.log(`| delivered / lost | ${delivered} / ${created.size - delivered} |`);
console.log(`| duplicates (same webhook-id acknowledged again) | ${duplicates} |`);
console.log(`| sessions delivered out of order | ${outOfOrder} |`);
console.log(`| delivery latency p50 / p95 / max | ${percentile(latencies, 50)} / ${percentile(latencies, 95)} / ${latencies.at(-1)} ms |`);
console.log(`| all acknowledged after the last event was written | ${(Math.max(...[...acked.values()].map((a) => a.at)) - producedAt)} ms |`);
receiver.close();
await database.close();
await rm(dataDir, { recursive: true, force: true });
await scratch?.drop();
console.log(JSON.stringify({ events: created.size, delivered, lost: created.size - delivered, duplicates, p95_delivery_ms: percentile(latencies, 95) }));
