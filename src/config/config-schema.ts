/**
 * Every configuration key verid understands: its environment variable, type, default and meaning.
 * The README's configuration table is generated from this list (`verid config --markdown`).
 */
export type ConfigValueType = 'string' | 'integer' | 'number' | 'boolean' | 'url' | 'enum';

export interface ConfigKey {
  env: string;
  type: ConfigValueType;
  /** Value used when the variable is unset; `null` means "not set". */
  default: string | number | boolean | null;
  /** A default that is fine on a laptop but must be replaced in production. */
  devOnlyDefault?: boolean;
  values?: readonly string[];
  description: string;
}

export const CONFIG_KEYS = {
  mode: {
    env: 'NODE_ENV', type: 'enum', values: ['development', 'production', 'test'], default: 'development',
    description: 'Run mode. `production` refuses to start on development defaults (master key, issuer).',
  },
  host: { env: 'HOST', type: 'string', default: '127.0.0.1', description: 'Interface the HTTP server binds to.' },
  port: { env: 'PORT', type: 'integer', default: 8080, description: 'TCP port of the HTTP server.' },
  issuer: {
    env: 'VERID_ISSUER', type: 'url', default: null,
    description: 'Public base URL of this verid (the OpenID Connect `iss`). Defaults to `http://localhost:PORT` in development.',
  },
  dataDir: {
    env: 'VERID_DATA_DIR', type: 'string', default: './data',
    description: 'Directory for the embedded SQLite database and other local state. Created on first start.',
  },
  databaseUrl: {
    env: 'DATABASE_URL', type: 'string', default: null,
    description: 'PostgreSQL connection string (`postgres://user@host:5432/db`). When unset, verid uses SQLite in `VERID_DATA_DIR`.',
  },
  masterKey: {
    env: 'VERID_MASTER_KEY', type: 'string', default: 'dev-insecure-master-key-change-me', devOnlyDefault: true,
    description: 'Secret that encrypts images, face templates, identity claims and signing keys at rest (AES-256-GCM; any string of 32+ characters, e.g. `openssl rand -base64 32`).',
  },
  masterKeyPrevious: {
    env: 'VERID_MASTER_KEY_PREVIOUS', type: 'string', default: null,
    description: 'The master key being replaced, during a key rotation: data written under it stays readable (and its tokens, cookies and lookups keep working) while `verid rekey` re-encrypts every row under `VERID_MASTER_KEY`; unset it once the rekey has finished (docs/security.md, Key rotation).',
  },
  logLevel: {
    env: 'LOG_LEVEL', type: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info',
    description: 'Log level (logs never contain PII).',
  },
  sessionTtlSeconds: {
    env: 'VERID_SESSION_TTL_SECONDS', type: 'integer', default: 1800,
    description: 'How long a verification session stays open before it expires.',
  },
  omniSessionTtlSeconds: {
    env: 'VERID_OMNI_SESSION_TTL_SECONDS', type: 'integer', default: 604800,
    description: 'How long a session started with `POST /omni/start` stays open: the person opens the link when they read it (default 7 days).',
  },
  b2bRequestTtlSeconds: {
    env: 'VERID_B2B_REQUEST_TTL_SECONDS', type: 'integer', default: 3600,
    description: 'How long a B2B verification request (`POST /v1/verifications`) stays open unless it says `expiresIn`.',
  },
  flows: {
    env: 'VERID_FLOWS', type: 'string', default: null,
    description: 'Named flows for `POST /omni/start` `configurationId`, as JSON: `{"onboarding":{"documentTypes":["passport","id_card"],"requireExpectedName":true,"redirectionUrl":"https://…","linkTtlSeconds":259200,"mediaDays":7}}`. `default` takes every document. docs/integrations/ats.md.',
  },
  faceMatchThreshold: {
    env: 'VERID_FACE_MATCH_THRESHOLD', type: 'number', default: null,
    description: 'Similarity (0..1) at or above which the selfie and the document portrait are the same person. Unset: the calibrated default (see docs/face-matching.md).',
  },
  maxCaptureAttempts: {
    env: 'VERID_MAX_CAPTURE_ATTEMPTS', type: 'integer', default: 3,
    description: 'How many times a person may retake an unusable document photo or selfie before the session fails.',
  },
  requireLiveness: {
    env: 'VERID_REQUIRE_LIVENESS', type: 'boolean', default: true,
    description: 'Fail sessions without a passed active liveness challenge (the hosted page runs it with the camera). false: a selfie file alone can verify.',
  },
  challengeTtlSeconds: {
    env: 'VERID_CHALLENGE_TTL_SECONDS', type: 'integer', default: 60,
    description: 'How long a liveness challenge stays valid after it is issued.',
  },
  livenessSteps: {
    env: 'VERID_LIVENESS_STEPS', type: 'integer', default: 5,
    description: 'Moves per liveness challenge (3 to 8), revealed one at a time. A recording fits a fresh 5-step challenge with probability 1/48 (docs/liveness.md).',
  },
  maxChallengesPerHour: {
    env: 'VERID_MAX_CHALLENGES_PER_HOUR', type: 'integer', default: 10,
    description: 'Liveness challenges one person (the identity re-verifying, or the document being enrolled) may be issued per hour, across sessions.',
  },
  engineThreads: {
    env: 'VERID_ENGINE_THREADS', type: 'integer', default: 1,
    description: 'Worker threads for each engine pool (document OCR, face analysis).',
  },
  engineNice: {
    env: 'VERID_ENGINE_NICE', type: 'integer', default: 10,
    description: 'Nice value (0 to 19) of the engine worker threads and the threads they start, on Linux: verifications yield the cores to OIDC and API requests (docs/performance.md). 0 leaves them at the process\'s priority.',
  },
  maxImageBytes: {
    env: 'VERID_MAX_IMAGE_BYTES', type: 'integer', default: 10_000_000,
    description: 'Largest accepted image upload, in bytes.',
  },
  documentMaxQueue: {
    env: 'VERID_DOCUMENT_MAX_QUEUE', type: 'integer', default: 16,
    description: 'Document reads allowed to wait for a worker; beyond it requests get `503 engine_busy` with `Retry-After` instead of holding more images in memory.',
  },
  faceMaxQueue: {
    env: 'VERID_FACE_MAX_QUEUE', type: 'integer', default: 160,
    description: 'Face analyses (an image or one liveness frame; a challenge sends up to 60 frames) allowed to wait for a worker; beyond it `503 engine_busy`.',
  },
  maxUploadsPerKind: {
    env: 'VERID_MAX_UPLOADS_PER_KIND', type: 'integer', default: 10,
    description: 'Uploads of one image kind (front, back, face) a session accepts; more are `409 too_many_uploads`.',
  },
  maxUploadsPerSession: {
    env: 'VERID_MAX_UPLOADS_PER_SESSION', type: 'integer', default: 24,
    description: 'Image uploads of all kinds a session accepts; more are `409 too_many_uploads`.',
  },
  trustProxy: {
    env: 'VERID_TRUST_PROXY', type: 'string', default: null,
    description: 'Reverse proxies whose `X-Forwarded-*` headers are believed (client IP, host, scheme): `true` (any), or a comma-separated list of addresses and CIDRs (`10.0.0.0/8,127.0.0.1`). Unset: forwarded headers are ignored.',
  },
  redisUrl: {
    env: 'REDIS_URL', type: 'string', default: null,
    description: 'Redis for rate-limit counters shared by every instance (`redis://host:6379`). Unset: counters live in this process.',
  },
  rateLimitWindowSeconds: {
    env: 'VERID_RATE_LIMIT_WINDOW_SECONDS', type: 'integer', default: 60,
    description: 'Length of the window every `VERID_RATE_LIMIT_*` count applies to.',
  },
  rateLimitAuthorizePerIp: {
    env: 'VERID_RATE_LIMIT_AUTHORIZE_PER_IP', type: 'integer', default: 30,
    description: 'Authorization requests (`/oauth2/authorize`) per client IP per window.',
  },
  rateLimitAuthorizePerClient: {
    env: 'VERID_RATE_LIMIT_AUTHORIZE_PER_CLIENT', type: 'integer', default: 600,
    description: 'Authorization requests per `client_id` per window (all users of one application).',
  },
  rateLimitTokenPerClient: {
    env: 'VERID_RATE_LIMIT_TOKEN_PER_CLIENT', type: 'integer', default: 300,
    description: 'Token requests (`/oauth2/token`) per client (HTTP Basic `client_id`, else per client IP) per window.',
  },
  rateLimitClientAuthFailures: {
    env: 'VERID_RATE_LIMIT_CLIENT_AUTH_FAILURES', type: 'integer', default: 10,
    description: 'Wrong client secrets per client and IP per window; after that the client is refused from that IP (`429`) until the window ends.',
  },
  rateLimitCapturePerSession: {
    env: 'VERID_RATE_LIMIT_CAPTURE_PER_SESSION', type: 'integer', default: 120,
    description: 'Capture API requests (`/omni/*`) per session token per window.',
  },
  rateLimitCapturePerIp: {
    env: 'VERID_RATE_LIMIT_CAPTURE_PER_IP', type: 'integer', default: 600,
    description: 'Capture API requests per client IP per window (all sessions behind one address).',
  },
  rateLimitCaptureAuthFailures: {
    env: 'VERID_RATE_LIMIT_CAPTURE_AUTH_FAILURES', type: 'integer', default: 20,
    description: 'Capture API requests with a missing or unknown session token per client IP per window; after that the IP gets `429`.',
  },
  rateLimitChallengePerSession: {
    env: 'VERID_RATE_LIMIT_CHALLENGE_PER_SESSION', type: 'integer', default: 100,
    description: 'Liveness requests (`/omni/liveness/*`, `/omni/add/liveness-frames`) per session token per window; one challenge takes about 25 (a chunk of frames every half second).',
  },
  rateLimitApiPerClient: {
    env: 'VERID_RATE_LIMIT_API_PER_CLIENT', type: 'integer', default: 600,
    description: 'Server-to-server API requests (`/omni/start`, `/v1/sessions`, results read with an API credential) per API client per window.',
  },
  rateLimitRefusalDelayMs: {
    env: 'VERID_RATE_LIMIT_DELAY_MS', type: 'integer', default: 1000,
    description: 'A `429` is answered after this delay (a tarpit): a client that keeps hammering past its limit gets one answer per connection per delay instead of thousands a second. `0` answers at once.',
  },
  rateLimitMaxDelayed: {
    env: 'VERID_RATE_LIMIT_MAX_DELAYED', type: 'integer', default: 1000,
    description: 'At most this many `429` answers are held back at once (each holds a connection); beyond it they go out at once.',
  },
  rateLimitApiAuthFailures: {
    env: 'VERID_RATE_LIMIT_API_AUTH_FAILURES', type: 'integer', default: 20,
    description: 'API requests with a missing, unknown or expired API credential per client IP per window; after that the IP gets `429`.',
  },
  clientSecretGraceSeconds: {
    env: 'VERID_CLIENT_SECRET_GRACE_SECONDS', type: 'integer', default: 86_400,
    description: 'After `verid clients rotate-secret`, how long the previous secret keeps working.',
  },
  idTokenTtlSeconds: { env: 'VERID_ID_TOKEN_TTL_SECONDS', type: 'integer', default: 3600, description: 'Lifetime of ID tokens.' },
  accessTokenTtlSeconds: { env: 'VERID_ACCESS_TOKEN_TTL_SECONDS', type: 'integer', default: 3600, description: 'Lifetime of access tokens.' },
  refreshTokenTtlSeconds: {
    env: 'VERID_REFRESH_TOKEN_TTL_SECONDS', type: 'integer', default: 14 * 86_400, description: 'Lifetime of refresh tokens.',
  },
  keyRefreshSeconds: {
    env: 'VERID_KEY_REFRESH_SECONDS', type: 'integer', default: 60,
    description: 'How often a running server re-reads the signing key set (so `verid keys rotate` needs no restart).',
  },
  retentionMediaDays: {
    env: 'VERID_RETENTION_MEDIA_DAYS', type: 'integer', default: 30,
    description: 'Days a decided (or expired) session keeps its images, liveness frames, document data and names; then they are erased and its non-PII record stays.',
  },
  retentionIdentityDays: {
    env: 'VERID_RETENTION_IDENTITY_DAYS', type: 'integer', default: 1095,
    description: 'Days an enrolled identity (claims and face template) lives without being verified again (3 years: the BIPA maximum); then it is erased.',
  },
  retentionSessionDays: {
    env: 'VERID_RETENTION_SESSION_DAYS', type: 'integer', default: 365,
    description: 'Days a decided session\'s non-PII record (ids, states, timestamps, reason codes, events) is kept; then it is deleted.',
  },
  jobsPollSeconds: {
    env: 'VERID_JOBS_POLL_SECONDS', type: 'integer', default: 5,
    description: 'How often an idle jobs runner (in `npm start` and `verid worker`) looks for due jobs.',
  },
  jobsLeaseSeconds: {
    env: 'VERID_JOBS_LEASE_SECONDS', type: 'integer', default: 300,
    description: 'How long a claimed job is held; a runner killed mid-job frees it after this and another runs it again.',
  },
  sweepIntervalSeconds: {
    env: 'VERID_SWEEP_INTERVAL_SECONDS', type: 'integer', default: 60,
    description: 'How often the sweeps run: expire abandoned sessions, recover sessions stuck in processing, purge expired OIDC rows.',
  },
  processingTimeoutSeconds: {
    env: 'VERID_PROCESSING_TIMEOUT_SECONDS', type: 'integer', default: 300,
    description: 'A session `processing` for longer than this (its process died) returns to capturing with reason `processing_interrupted`.',
  },
  webhookTimeoutSeconds: {
    env: 'VERID_WEBHOOK_TIMEOUT_SECONDS', type: 'integer', default: 10,
    description: 'Deadline of one webhook request (connect, send, response headers and the first bytes of the body); past it the attempt failed with `timeout`.',
  },
  webhookRetrySchedule: {
    env: 'VERID_WEBHOOK_RETRY_SCHEDULE', type: 'string', default: '5,300,1800,7200,18000,36000,50400,72000,86400',
    description: 'Seconds to wait after each failed webhook attempt (±10 % jitter), comma-separated; when used up the delivery is dead. The default makes 10 attempts over about 75 hours (docs/webhooks.md).',
  },
  webhookSecretOverlapSeconds: {
    env: 'VERID_WEBHOOK_SECRET_OVERLAP_SECONDS', type: 'integer', default: 86_400,
    description: 'After `verid webhooks rotate-secret`, how long the previous secret also signs (both signatures are sent).',
  },
  webhookDisableAfterSeconds: {
    env: 'VERID_WEBHOOK_DISABLE_AFTER_SECONDS', type: 'integer', default: 259_200,
    description: 'An endpoint whose attempts have all failed for this long (and at least `VERID_WEBHOOK_DISABLE_AFTER_FAILURES` times in a row) is disabled until `verid webhooks enable`.',
  },
  webhookDisableAfterFailures: {
    env: 'VERID_WEBHOOK_DISABLE_AFTER_FAILURES', type: 'integer', default: 10,
    description: 'Consecutive failed attempts an endpoint needs, besides `VERID_WEBHOOK_DISABLE_AFTER_SECONDS` of failing, before it is disabled.',
  },
  webhookAllowPrivate: {
    env: 'VERID_WEBHOOK_ALLOW_PRIVATE', type: 'boolean', default: false,
    description: 'Let webhooks go to private, loopback, link-local, CGNAT and other non-public addresses (refused by default: SSRF).',
  },
  webhookAllowCidrs: {
    env: 'VERID_WEBHOOK_ALLOW_CIDRS', type: 'string', default: null,
    description: 'Non-public networks webhooks may reach anyway, comma-separated addresses or CIDRs (`10.1.2.0/24,127.0.0.1`).',
  },
  webhookDispatchSeconds: {
    env: 'VERID_WEBHOOK_DISPATCH_SECONDS', type: 'integer', default: 1,
    description: 'How often new outbox events are handed to delivery (a runner idle for `VERID_JOBS_POLL_SECONDS` notices within that).',
  },
  privacyUrl: {
    env: 'VERID_PRIVACY_URL', type: 'url', default: null,
    description: 'Privacy notice the consent text links to. Unset: verid\'s own `/privacy` page (what is collected, why, how long).',
  },
  frameAncestors: {
    env: 'VERID_FRAME_ANCESTORS', type: 'string', default: null,
    description: 'Origins allowed to embed verid\'s pages in a frame, space-separated (CSP `frame-ancestors`, e.g. `https://portal.example.com`). Unset: no framing.',
  },
  idTokenHintMaxAgeSeconds: {
    env: 'VERID_ID_TOKEN_HINT_MAX_AGE_SECONDS', type: 'integer', default: 86_400,
    description: 'An `id_token_hint` issued longer ago than this does not allow a selfie-only re-verification (the person verifies with their document).',
  },
  entraHintMaxAgeSeconds: {
    env: 'VERID_ENTRA_HINT_MAX_AGE_SECONDS', type: 'integer', default: 600,
    description: 'Microsoft Entra external authentication method: how long after Entra issued its `id_token_hint` (`iat`; Entra issues it already expired, so not `exp`) verid still accepts the request. Older: `login_required` back to Entra.',
  },
  keyPublishSeconds: {
    env: 'VERID_KEY_PUBLISH_SECONDS', type: 'integer', default: 86_400,
    description: 'How long a key published by `verid keys rotate` stays in the JWKS before the next rotation lets it sign (longer than relying parties cache the JWKS).',
  },
  smtpUrl: {
    env: 'VERID_SMTP_URL', type: 'string', default: null,
    description: 'SMTP server that sends links by e-mail (`notification: EMAIL` of `POST /omni/start`): `smtp://user:password@host:587` (STARTTLS when the server offers it) or `smtps://user:password@host:465` (TLS); URL-encode special characters of the password. Unset: verid sends no e-mail and refuses `EMAIL`.',
  },
  mailFrom: {
    env: 'VERID_MAIL_FROM', type: 'string', default: null,
    description: 'Sender of the e-mails verid sends (`"Acme Onboarding" <verify@acme.example>`). Required with `VERID_SMTP_URL`.',
  },
  organisationName: {
    env: 'VERID_ORGANISATION_NAME', type: 'string', default: null,
    description: 'Who runs this verid, as named in the e-mails and text messages that carry the link (with the API client\'s name). Unset: the host name of `VERID_ISSUER`.',
  },
  smsProvider: {
    env: 'VERID_SMS_PROVIDER', type: 'enum', values: ['none', 'http', 'console'], default: 'none',
    description: 'How links go out by text message (`notification: SMS`): `http` POSTs `{"to","body"}` as JSON to `VERID_SMS_URL` (any 2xx = accepted); `console` writes the message to the log with the number masked — development and test only (it logs the link, a credential), refused in production; `none` refuses `SMS`.',
  },
  smsUrl: {
    env: 'VERID_SMS_URL', type: 'url', default: null,
    description: 'Endpoint of the SMS gateway for `VERID_SMS_PROVIDER=http` (https in production).',
  },
  smsAuth: {
    env: 'VERID_SMS_AUTH', type: 'string', default: null,
    description: 'Value of the `Authorization` header sent to `VERID_SMS_URL`: `Bearer <token>` or `Basic <base64 of user:password>`. Unset: none.',
  },
  linkDeliveryAttempts: {
    env: 'VERID_LINK_DELIVERY_ATTEMPTS', type: 'integer', default: 10,
    description: 'Tries to send a link (e-mail or SMS) before the delivery is reported failed (`link.delivery_failed` webhook); retries back off from 5 s to 10 min (about 30 min in all with 10). A permanent refusal (SMTP 5xx, HTTP 4xx) fails at once.',
  },
  trustFramework: {
    env: 'VERID_TRUST_FRAMEWORK', type: 'string', default: 'verid',
    description: 'Value of `verified_claims.verification.trust_framework` (OIDC4IDA) in tokens.',
  },
} as const satisfies Record<string, ConfigKey>;

export type ConfigName = keyof typeof CONFIG_KEYS;
