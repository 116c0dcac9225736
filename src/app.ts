import { readFile } from 'node:fs/promises';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import middie from '@fastify/middie';
import swagger from '@fastify/swagger';
import { Redis } from 'ioredis';
import { forwardedHeadersHook } from './abuse/forwarded-headers.ts';
import { oauthLimitsHook } from './abuse/oauth-limits.ts';
import { createRateLimiters } from './abuse/rate-limiters.ts';
import { createRefusalDelay } from './abuse/refusal-delay.ts';
import { logSecurityEvent } from './abuse/security-log.ts';
import { omniStartRoutes } from './api/omni/omni-start-routes.ts';
import { verifyRoutes } from './web/verify-routes.ts';
import { authorizePostRoute, isAuthorizationPost } from './oidc/authorize-post.ts';
import { b2bRoutes } from './api/b2b/b2b-routes.ts';
import { scimRoutes } from './api/scim/scim-routes.ts';
import { B2bService } from './b2b/b2b-service.ts';
import { answerCibaOnPoll, cibaHooks } from './b2b/ciba.ts';
import { registerApiReference } from './web/api-reference.ts';
import { omniRoutes } from './api/omni/omni-routes.ts';
import { parseTrustProxy, type Config } from './config/index.ts';
import { serializeError, toAppError } from './errors/index.ts';
import { createProvider, isProviderPath, ROUTES } from './oidc/create-provider.ts';
import { InteractionCsrf } from './oidc/interaction-csrf.ts';
import { interactionRoutes } from './oidc/interaction-routes.ts';
import { ProviderHost } from './oidc/provider-host.ts';
import { privacyPage } from './web/privacy-page.ts';
import { securityHeaders } from './web/security-headers.ts';
import { BrokerSubjectRepository, EmployeeRepository, GroupRepository, type ClientRepository, type DatabaseHandle } from './storage/index.ts';
import { EntraHintVerifier } from './oidc/entra-hint.ts';
import type { VerificationService } from './verification/index.ts';
import { createCore, type Core } from './core.ts';
import { createJobs } from './jobs/start-jobs.ts';
import { linkChannels } from './notify/index.ts';
import type { Engines } from './engines.ts';

export interface AppOptions {
  config: Config;
  /** Share already-started engines (tests); otherwise the app starts and owns its own. */
  engines?: Engines;
  /** false: no logging (tests); a stream: log there (tests that inspect logs); default: stdout. */
  logger?: false | { stream: NodeJS.WritableStream };
}

export interface App {
  server: FastifyInstance;
  core: Core;
  database: DatabaseHandle;
  verification: VerificationService;
  clients: ClientRepository;
  oidc: ProviderHost;
}

const CAPTURE_SCRIPT = new URL('./web/capture/capture.js', import.meta.url);
const VERIFY_SCRIPT = new URL('./web/capture/verify.js', import.meta.url);

/** The one composition root of the HTTP server: the shared core (core.ts) plus OIDC and HTTP. Never listens. */
export async function buildApp(options: AppOptions): Promise<App> {
  const { config } = options;
  const core = await createCore(config, { engines: options.engines });
  const { database, keys, clients, identities, payloads, verification } = core;
  const trustedProxies = parseTrustProxy(config.trustProxy);

  const server = Fastify({
    logger: options.logger === false ? false : {
      level: config.logLevel,
      ...(options.logger?.stream ? { stream: options.logger.stream } : {}),
      // Paths only: query strings can carry login hints (e-mail addresses) and codes.
      serializers: { req: (req) => ({ method: req.method, path: req.url.split('?')[0] }) },
    },
    // One access-log line per request, when it is answered (below), instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    // Forwarded headers count only from configured proxies (VERID_TRUST_PROXY); see abuse/forwarded-headers.ts.
    trustProxy: trustedProxies.enabled ? (address: string) => trustedProxies.isTrusted(address) : false,
  });

  server.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.code === 'engine_busy' || appError.code === 'too_many_uploads') {
      logSecurityEvent(request.log, {
        event: appError.code === 'engine_busy' ? 'engine_busy' : 'upload_refused', route: request.routeOptions.url ?? '', ip: request.ip, outcome: appError.code,
      });
    } else if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: appError.code }, 'request rejected');
    if (appError.retryAfterSeconds !== undefined) reply.header('retry-after', String(appError.retryAfterSeconds));
    return reply.code(appError.status).send(serializeError(appError));
  });
  server.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: { code: 'not_found', message: 'No such endpoint' } }));

  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'verid API', version: '0.1.0', description: 'Identity verification: capture (Omni-compatible) and results.' },
      components: {
        securitySchemes: {
          sessionToken: { type: 'http', scheme: 'bearer', description: 'The session token from /omni/start or the hosted page' },
          accessToken: {
            type: 'oauth2', description: 'An API client\'s access token: POST /oauth2/token grant_type=client_credentials',
            flows: { clientCredentials: { tokenUrl: '/oauth2/token', scopes: {
              'omni:start': 'Start verifications', 'sessions:read': 'Read sessions, scores, document data and images',
              'sessions:close': 'Close decided sessions', 'sessions:delete': 'Erase a session\'s personal data',
              'documents:read': 'Read the data read from documents, and the images', employees: 'Keep the directory of employees (B2B)',
              verifications: 'Ask verid to verify an employee (B2B)',
            } } },
          },
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'An API client\'s `<client_id>.<client_secret>` (Omni style)' },
        },
      },
    },
  });
  // Rate-limit counters in Redis when configured (shared by every instance), else in this process.
  const redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1, connectTimeout: 2000 }) : null;
  redis?.on('error', (error: unknown) => server.log.error({ err: error }, 'redis error'));
  const limits = await createRateLimiters(server, config, redis);
  const refusalDelay = createRefusalDelay({ delayMs: config.rateLimitRefusalDelayMs, maxHeld: config.rateLimitMaxDelayed });
  const b2b = new B2bService({
    employees: new EmployeeRepository(database.db, core.cipher), verification, identities, keys, issuer: config.issuer, trustFramework: config.trustFramework,
    requestTtlSeconds: config.b2bRequestTtlSeconds, linkDeliveryAttempts: config.linkDeliveryAttempts, deliveryChannels: linkChannels(config),
  });
  const ciba = cibaHooks({ b2b, clients, channels: linkChannels(config) });
  // Built once: its cache of Entra's keys outlives provider rebuilds (key rotations).
  const entra = { hints: new EntraHintVerifier({ maxAgeSeconds: config.entraHintMaxAgeSeconds }), subjects: new BrokerSubjectRepository(database.db, core.cipher) };
  const oidc = await ProviderHost.create(keys, (jwks) => {
    const provider = createProvider({
      config, payloads, clients, identities, jwks, trustProxy: trustedProxies.enabled, clientAuth: { failures: limits.clientAuthFailures, log: server.log, refusalDelay }, ciba, entra,
    });
    // A CIBA client's poll finds out how the employee's verification ended.
    answerCibaOnPoll(provider, verification);
    return provider;
  }, core.readCache);
  server.addHook('onResponse', async (request, reply) => {
    request.log.info({ req: request, res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime }, 'request completed');
  });
  // These run before middie hands /oauth2/* to oidc-provider (hooks run in the order they are added).
  // Security headers go on the raw response, so oidc-provider's own pages carry them too.
  const headers = Object.entries(securityHeaders({ frameAncestors: config.frameAncestors, https: config.issuer.startsWith('https://') }));
  server.addHook('onRequest', async (_request, reply) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
  });
  server.addHook('onRequest', forwardedHeadersHook(trustedProxies));
  server.addHook('onRequest', oauthLimitsHook(limits, ROUTES));
  // Every rate-limited answer of verid's own routes is held back (the provider's own 429: client-auth-guard.ts).
  server.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode === 429) await refusalDelay.hold();
    return payload;
  });
  await server.register(middie);
  server.use((req, res, next) => (isProviderPath(req.url ?? '') && !isAuthorizationPost(req.method, req.url, ROUTES.authorization) ? oidc.handle(req, res) : next()));
  await server.register(authorizePostRoute, { authorizationPath: ROUTES.authorization });

  server.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok', database: database.dialect }));
  server.get('/openapi.json', { schema: { hide: true } }, async () => server.swagger());
  await registerApiReference(server);
  const privacy = privacyPage({ mediaDays: config.retentionMediaDays, identityDays: config.retentionIdentityDays, recordDays: config.retentionSessionDays });
  server.get('/privacy', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html').send(privacy));
  for (const [route, file] of [['/static/capture.js', CAPTURE_SCRIPT], ['/static/verify.js', VERIFY_SCRIPT]] as const) {
    const script = await readFile(file);
    server.get(route, { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(script));
  }

  const apiAuth = { clients, oidc, perClient: limits.apiPerClient, failures: limits.apiAuthFailures };
  await server.register(omniRoutes, { verification, maxImageBytes: config.maxImageBytes, limits, apiAuth });
  await server.register(omniStartRoutes, { verification, auth: apiAuth, publicUrl: config.issuer, sessionTtlSeconds: config.omniSessionTtlSeconds,
    deliveryChannels: linkChannels(config), linkDeliveryAttempts: config.linkDeliveryAttempts });
  await server.register(b2bRoutes, { b2b, verification, auth: apiAuth, publicUrl: config.issuer });
  await server.register(scimRoutes, { b2b, groups: new GroupRepository(database.db), auth: apiAuth, publicUrl: config.issuer });
  await server.register(verifyRoutes, {
    verification, clients, limits, requireLiveness: config.requireLiveness, publicUrl: config.issuer,
    consent: { privacyUrl: config.privacyUrl ?? '/privacy', mediaDays: config.retentionMediaDays, identityDays: config.retentionIdentityDays },
  });
  await server.register(interactionRoutes, {
    oidc, verification, clients, requireLiveness: config.requireLiveness, csrf: new InteractionCsrf([config.masterKey, ...(config.masterKeyPrevious ? [config.masterKeyPrevious] : [])]),
    consent: { privacyUrl: config.privacyUrl ?? '/privacy', mediaDays: config.retentionMediaDays, identityDays: config.retentionIdentityDays },
    idTokenHintMaxAgeSeconds: config.idTokenHintMaxAgeSeconds, entra,
  });

  // Background jobs (sweeps) run in this process too; `verid worker` runs the same loop alone.
  const jobs = await createJobs(core, server.log);
  jobs.runner.start();
  // Pick up `verid keys rotate` (run anywhere against the same database) without a restart.
  const keyRefresh = setInterval(() => {
    oidc.refresh().then((changed) => changed && server.log.info('signing keys changed: provider reloaded'),
      (error: unknown) => server.log.error({ err: error }, 'signing key refresh failed'));
  }, config.keyRefreshSeconds * 1000);
  keyRefresh.unref();
  server.addHook('onClose', async () => {
    clearInterval(keyRefresh);
    await jobs.runner.stop();
    await redis?.quit();
    await core.close();
  });
  return { server, core, database, verification, clients, oidc };
}
