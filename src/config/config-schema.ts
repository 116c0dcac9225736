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
  logLevel: {
    env: 'LOG_LEVEL', type: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info',
    description: 'Log level (logs never contain PII).',
  },
  sessionTtlSeconds: {
    env: 'VERID_SESSION_TTL_SECONDS', type: 'integer', default: 1800,
    description: 'How long a verification session stays open before it expires.',
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
  maxImageBytes: {
    env: 'VERID_MAX_IMAGE_BYTES', type: 'integer', default: 10_000_000,
    description: 'Largest accepted image upload, in bytes.',
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
  trustFramework: {
    env: 'VERID_TRUST_FRAMEWORK', type: 'string', default: 'verid',
    description: 'Value of `verified_claims.verification.trust_framework` (OIDC4IDA) in tokens.',
  },
} as const satisfies Record<string, ConfigKey>;

export type ConfigName = keyof typeof CONFIG_KEYS;
