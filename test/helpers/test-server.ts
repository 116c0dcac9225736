import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config/index.ts';
import { createEngines, type Engines } from '../../src/engines.ts';
import { createTestDatabaseUrl } from './test-database.ts';

let sharedEngines: Engines | undefined;

/** One set of real engines per test process: model loading is the slow part. */
export function engines(): Engines {
  sharedEngines ??= createEngines({ engineThreads: 1, faceMatchThreshold: null });
  return sharedEngines;
}

export async function closeEngines(): Promise<void> {
  await sharedEngines?.close();
  sharedEngines = undefined;
}

export interface TestServer {
  app: App;
  /** Everything the server logged (only with `captureLogs`). */
  logs(): string;
  config: Config;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A real verid listening on a loopback port, with its own empty database: SQLite in a temporary
 * directory, or a fresh PostgreSQL database when `dialect` is 'postgres'.
 */
export async function startTestServer(options: {
  overrides?: Partial<Config>; dialect?: 'sqlite' | 'postgres'; captureLogs?: boolean;
  /** Replaces parts of the shared engines (the challenge draw for a fake camera, engines with tiny queues: the caller closes those). */
  engines?: Partial<Engines>;
  /** Run on an existing database (a restart): the caller owns it, `close` leaves it. */
  database?: Pick<Config, 'dataDir' | 'databaseUrl'>;
  /** Listen on this port (a restart keeps its issuer); default: a free one. */
  port?: number;
} = {}): Promise<TestServer> {
  const dataDir = options.database?.dataDir ?? await mkdtemp(path.join(tmpdir(), 'verid-test-'));
  const pg = options.dialect === 'postgres' && !options.database ? await createTestDatabaseUrl() : undefined;
  const port = options.port ?? await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Most tests drive the document and face paths with photo files and no camera, so liveness is
  // optional here unless a test asks for it (the liveness and camera-check tests do).
  const env = { VERID_DATA_DIR: dataDir, PORT: String(port), VERID_ISSUER: baseUrl, NODE_ENV: 'test', LOG_LEVEL: 'silent', VERID_REQUIRE_LIVENESS: 'false' };
  const databaseUrl = pg?.url ?? options.database?.databaseUrl;
  const config = { ...loadConfig({ ...env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }), ...options.overrides };
  let logged = '';
  const stream = new Writable({ write(chunk, _encoding, done) { logged += String(chunk); done(); } });
  const logger = options.captureLogs ? { stream } : false as const;
  if (options.captureLogs) config.logLevel = 'debug';
  const app = await buildApp({ config, engines: { ...engines(), ...options.engines }, logger });
  await app.server.listen({ host: '127.0.0.1', port });
  return {
    app,
    logs: () => logged,
    config,
    baseUrl,
    close: async () => {
      await app.server.close();
      await pg?.drop();
      if (!options.database) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Several test servers in one suite: `start` them as needed, `closeAll` in `after` (engines too). */
export function testServers() {
  const servers: TestServer[] = [];
  return {
    async start(...args: Parameters<typeof startTestServer>): Promise<TestServer> {
      const server = await startTestServer(...args);
      servers.push(server);
      return server;
    },
    async closeAll(): Promise<void> {
      for (const server of servers) await server.close();
      await closeEngines();
    },
  };
}

/** A TCP port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
