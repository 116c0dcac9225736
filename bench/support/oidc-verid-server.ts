// verid under bench/oidc.ts, in a process of its own: `node oidc-verid-server.ts sqlite|postgres`.
// A real server (engines, jobs, logging at the configured level to stdout) with one demo relying
// party; the bench signs a person in through the hosted page like a browser would. It also counts
// the database statements it executes (PostgreSQL: round trips), so the bench can say how many a
// request costs. For the under-load phase it starts Omni verification sessions on request (the
// bench then runs them over HTTP, as the hosted page would).
import { mkdtemp, rm } from 'node:fs/promises';
import { StatementSync } from 'node:sqlite';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { registerClient } from '../../src/oidc/client-registration.ts';
import { createTestDatabaseUrl } from '../../test/helpers/test-database.ts';
import { BENCH_REDIRECT_URI, idTokenAlg, type BenchMessage, type ServerMessage } from './oidc-bench-protocol.ts';

const send = (message: ServerMessage) => process.send!(message);
const dialect = process.argv[2];
if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error('usage: oidc-verid-server.ts sqlite|postgres');

let queries = 0;
function counted<T extends object>(prototype: T, name: keyof T): void {
  const original = prototype[name] as (...args: unknown[]) => unknown;
  Object.defineProperty(prototype, name, {
    value: function countedCall(this: unknown, ...args: unknown[]) { queries++; return original.apply(this, args); }, writable: true, configurable: true,
  });
}
if (dialect === 'postgres') counted(pg.Client.prototype, 'query');
else for (const name of ['all', 'get', 'run', 'iterate'] as const) counted(StatementSync.prototype, name);

const dataDir = await mkdtemp(path.join(tmpdir(), 'verid-bench-oidc-'));
const database = dialect === 'postgres' ? await createTestDatabaseUrl() : undefined;
// The issuer must be known before listening: take a free port first.
const probe = createServer();
const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port)));
await new Promise((resolve) => probe.close(resolve));
const baseUrl = `http://127.0.0.1:${port}`;
// Engine threads, queues and the rest at their defaults, as a deployment runs them.
const config = loadConfig({
  VERID_DATA_DIR: dataDir, PORT: String(port), VERID_ISSUER: baseUrl, VERID_REQUIRE_LIVENESS: 'false',
  // Limits high enough for a load test from one address; the limiter still runs on every request.
  VERID_RATE_LIMIT_TOKEN_PER_CLIENT: '1000000000', VERID_RATE_LIMIT_AUTHORIZE_PER_IP: '1000000', VERID_RATE_LIMIT_AUTHORIZE_PER_CLIENT: '1000000',
  ...(process.env.LOG_LEVEL ? { LOG_LEVEL: process.env.LOG_LEVEL } : {}),
  ...(process.env.VERID_ENGINE_NICE ? { VERID_ENGINE_NICE: process.env.VERID_ENGINE_NICE } : {}),
  ...(database ? { DATABASE_URL: database.url } : {}),
});
const app = await buildApp({ config });
await app.server.listen({ host: '127.0.0.1', port });
const client = await registerClient(app.clients, {
  name: 'Bench RP', redirectUris: [BENCH_REDIRECT_URI], postLogoutRedirectUris: [], environment: 'demo',
  tokenEndpointAuthMethod: 'client_secret_basic', idTokenAlg: idTokenAlg(process.env.BENCH_OIDC_ALG),
}, async () => {});

process.on('message', async (message: BenchMessage) => {
  if (message.type === 'reset') {
    queries = 0;
    send({ type: 'queries', count: 0 });
  } else if (message.type === 'count') {
    send({ type: 'queries', count: queries });
  } else if (message.type === 'start-session') {
    const { token } = await app.verification.start({
      origin: 'omni', mode: 'enroll', environment: 'demo', clientId: null, interactionUid: null, externalId: null, loginHint: null,
      consent: { version: 'caller-consent-v1', at: Date.now() },
    });
    send({ type: 'session', token });
  } else {
    await app.server.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
    process.disconnect();
  }
});
send({ type: 'ready', baseUrl, clientId: client.clientId, clientSecret: client.clientSecret! });
