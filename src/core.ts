import type { Config } from './config/index.ts';
import { createEngines, type Engines } from './engines.ts';
import { ensureSigningKeys } from './oidc/signing-keys.ts';
import { ConfigError } from './errors/index.ts';
import { DataCipher } from './security/index.ts';
import {
  ChallengeRepository, ClientRepository, IdentityRepository, migrateToLatest, OidcPayloadRepository, openDatabase, ReadCache, RetentionRepository, SessionRepository,
  SigningKeyRepository, WebhookDeliveryRepository, WebhookEndpointRepository,
  type DatabaseHandle,
} from './storage/index.ts';
import { VerificationService } from './verification/index.ts';
import { cacheEngines } from './verification/analysis-cache.ts';
import { parseFlows } from './verification/flows.ts';
import { IndexedFaceSearch } from './verification/indexed-face-search.ts';
import { parseOutboundPolicy, parseRetrySchedule, WebhookService, type OutboundPolicy } from './webhooks/index.ts';

/** What the server, the CLI and `verid worker` share: storage, keys, engines and the verification use cases. */
export interface Core {
  config: Config;
  database: DatabaseHandle;
  cipher: DataCipher;
  keys: SigningKeyRepository;
  clients: ClientRepository;
  identities: IdentityRepository;
  sessions: SessionRepository;
  payloads: OidcPayloadRepository;
  /** What the OIDC endpoints keep between requests while the database says it is current (storage/read-cache.ts). */
  readCache: ReadCache;
  engines: Engines;
  verification: VerificationService;
  webhooks: WebhookService;
  /** What webhook delivery (the jobs) works with. */
  webhookDelivery: {
    endpoints: WebhookEndpointRepository;
    deliveries: WebhookDeliveryRepository;
    policy: OutboundPolicy;
    retryScheduleMs: number[];
  };
  close(): Promise<void>;
}

/**
 * Opens the database (migrated), the key set and the engines (their worker pools start lazily) and
 * wires the verification service. `engines`: share already-started ones (tests); the caller closes them.
 */
export async function createCore(config: Config, options: { engines?: Engines } = {}): Promise<Core> {
  const database = openDatabase(config);
  const cipher = new DataCipher(config.masterKey, config.masterKeyPrevious);
  const keys = new SigningKeyRepository(database.db, cipher);
  try {
    await migrateToLatest(database.db, database.dialect);
    // Reads (decrypts) the signing keys: a master key that cannot is refused here, at start.
    await ensureSigningKeys(keys);
  } catch (error) {
    await database.close();
    throw error;
  }
  const readCache = new ReadCache();
  const clients = new ClientRepository(database.db, cipher, readCache);
  const identities = new IdentityRepository(database.db, cipher, readCache);
  const sessions = new SessionRepository(database.db, cipher);
  const retryScheduleMs = parseRetrySchedule(config.webhookRetrySchedule);
  if (!retryScheduleMs) throw new ConfigError('VERID_WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds, e.g. 5,300,1800');
  const webhookDelivery = {
    endpoints: new WebhookEndpointRepository(database.db, cipher),
    deliveries: new WebhookDeliveryRepository(database.db, database.dialect),
    policy: parseOutboundPolicy(config.webhookAllowPrivate, config.webhookAllowCidrs),
    retryScheduleMs,
  };
  const webhooks = new WebhookService({
    ...webhookDelivery, clients, secretOverlapMs: config.webhookSecretOverlapSeconds * 1000,
  });
  const engines = options.engines ?? createEngines(config);

  const { documents, faces, prefetch } = cacheEngines(engines.documents, engines.faces, { max: 64, ttlMs: 10 * 60_000, spare: engines.spareCapacity });
  const verification = new VerificationService({
    sessions,
    identities,
    challenges: new ChallengeRepository(database.db, cipher, database.dialect),
    retention: new RetentionRepository(database.db),
    retentionPolicy: { mediaDays: config.retentionMediaDays, identityDays: config.retentionIdentityDays, sessionRecordDays: config.retentionSessionDays },
    documents,
    faces,
    prefetch,
    liveness: engines.liveness,
    faceSearch: new IndexedFaceSearch(engines.createTemplateIndex(), identities, () => engines.faces.threshold),
    blindIndex: (value, purpose) => cipher.blindIndex(value, purpose),
    blindIndexes: (value, purpose) => cipher.blindIndexes(value, purpose),
    flows: parseFlows(config.flows, config.retentionMediaDays),
    sessionTtlSeconds: config.sessionTtlSeconds,
    maxImageBytes: config.maxImageBytes,
    maxUploadsPerKind: config.maxUploadsPerKind,
    maxUploadsPerSession: config.maxUploadsPerSession,
    maxCaptureAttempts: config.maxCaptureAttempts,
    requireLiveness: config.requireLiveness,
    challengeTtlSeconds: config.challengeTtlSeconds,
    livenessSteps: config.livenessSteps,
    maxChallengesPerHour: config.maxChallengesPerHour,
  });
  return {
    config, database, cipher, keys, clients, identities, sessions, engines, verification, webhooks, webhookDelivery,
    payloads: new OidcPayloadRepository(database.db, cipher, readCache),
    readCache,
    async close() {
      if (!options.engines) await engines.close();
      await database.close();
    },
  };
}
