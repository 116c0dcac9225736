import path from 'node:path';
import { ConfigError } from '../errors/app-error.ts';
import { CONFIG_KEYS, type ConfigKey, type ConfigName } from './config-schema.ts';
import { parseTrustProxy } from './trust-proxy.ts';

export interface Config {
  mode: 'development' | 'production' | 'test';
  host: string;
  port: number;
  issuer: string;
  dataDir: string;
  databaseUrl: string | null;
  masterKey: string;
  /** The master key being rotated out (VERID_MASTER_KEY_PREVIOUS); null outside a rotation. */
  masterKeyPrevious: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  sessionTtlSeconds: number;
  faceMatchThreshold: number | null;
  maxCaptureAttempts: number;
  requireLiveness: boolean;
  challengeTtlSeconds: number;
  livenessSteps: number;
  maxChallengesPerHour: number;
  engineThreads: number;
  engineNice: number;
  maxImageBytes: number;
  documentMaxQueue: number;
  faceMaxQueue: number;
  maxUploadsPerKind: number;
  maxUploadsPerSession: number;
  trustProxy: string | null;
  redisUrl: string | null;
  rateLimitWindowSeconds: number;
  rateLimitAuthorizePerIp: number;
  rateLimitAuthorizePerClient: number;
  rateLimitTokenPerClient: number;
  rateLimitClientAuthFailures: number;
  rateLimitCapturePerSession: number;
  rateLimitCapturePerIp: number;
  rateLimitCaptureAuthFailures: number;
  rateLimitChallengePerSession: number;
  rateLimitApiPerClient: number;
  omniSessionTtlSeconds: number;
  flows: string | null;
  b2bRequestTtlSeconds: number;
  rateLimitApiAuthFailures: number;
  rateLimitRefusalDelayMs: number;
  rateLimitMaxDelayed: number;
  clientSecretGraceSeconds: number;
  idTokenTtlSeconds: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  keyRefreshSeconds: number;
  trustFramework: string;
  retentionMediaDays: number;
  retentionIdentityDays: number;
  retentionSessionDays: number;
  jobsPollSeconds: number;
  keyPublishSeconds: number;
  idTokenHintMaxAgeSeconds: number;
  entraHintMaxAgeSeconds: number;
  privacyUrl: string | null;
  jobsLeaseSeconds: number;
  sweepIntervalSeconds: number;
  processingTimeoutSeconds: number;
  webhookTimeoutSeconds: number;
  webhookRetrySchedule: string;
  webhookSecretOverlapSeconds: number;
  webhookDisableAfterSeconds: number;
  webhookDisableAfterFailures: number;
  webhookAllowPrivate: boolean;
  webhookAllowCidrs: string | null;
  webhookDispatchSeconds: number;
  smtpUrl: string | null;
  mailFrom: string | null;
  organisationName: string | null;
  smsProvider: 'none' | 'http' | 'console';
  smsUrl: string | null;
  smsAuth: string | null;
  linkDeliveryAttempts: number;
  /** VERID_FRAME_ANCESTORS split on spaces; empty: no framing. */
  frameAncestors: string[];
  /** Names of keys still on a development-only default (warned about; refused in production). */
  devDefaults: string[];
}

type Env = Record<string, string | undefined>;

function parseValue(name: string, key: ConfigKey, raw: string): string | number | boolean {
  switch (key.type) {
    case 'integer': {
      if (!/^-?\d+$/.test(raw)) throw new ConfigError(`${key.env} must be an integer`);
      return Number(raw);
    }
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw new ConfigError(`${key.env} must be a number`);
      return n;
    }
    case 'boolean': {
      if (!['true', 'false', '1', '0'].includes(raw)) throw new ConfigError(`${key.env} must be true or false`);
      return raw === 'true' || raw === '1';
    }
    case 'url': {
      if (!URL.canParse(raw)) throw new ConfigError(`${key.env} must be an absolute URL`);
      return raw.replace(/\/+$/, '');
    }
    case 'enum': {
      if (!key.values?.includes(raw)) throw new ConfigError(`${key.env} must be one of ${key.values?.join(', ')}`);
      return raw;
    }
    default:
      void name;
      return raw;
  }
}

/** Reads configuration from `env` (the only place verid reads the environment) and validates it. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const values: Record<string, unknown> = {};
  const devDefaults: string[] = [];
  for (const [name, key] of Object.entries(CONFIG_KEYS) as [ConfigName, ConfigKey][]) {
    const raw = env[key.env];
    if (raw !== undefined && raw !== '') {
      values[name] = parseValue(name, key, raw);
    } else {
      values[name] = key.default;
      if (key.devOnlyDefault) devDefaults.push(key.env);
    }
  }
  const config = { ...values, devDefaults, ...overrides } as Config;
  if (overrides.masterKey) config.devDefaults = config.devDefaults.filter((e) => e !== 'VERID_MASTER_KEY');
  if (!config.issuer) {
    config.issuer = `http://localhost:${config.port}`;
    config.devDefaults.push('VERID_ISSUER');
  }
  config.dataDir = path.resolve(config.dataDir);
  const ancestors = config.frameAncestors as unknown as string | string[] | null;
  config.frameAncestors = typeof ancestors === 'string' ? ancestors.split(/\s+/).filter(Boolean) : (ancestors ?? []);
  validate(config);
  return config;
}

function validate(config: Config): void {
  if (config.port < 0 || config.port > 65_535) throw new ConfigError('PORT must be between 0 and 65535');
  for (const origin of config.frameAncestors) {
    if (origin !== "'self'" && !/^https?:\/\/[^\s/;,']+$/.test(origin)) throw new ConfigError(`VERID_FRAME_ANCESTORS: ${origin} is not an origin (https://host[:port]) or 'self'`);
  }
  if (config.masterKey.length < 32) throw new ConfigError('VERID_MASTER_KEY must be at least 32 characters');
  if (config.masterKeyPrevious !== null && config.masterKeyPrevious.length < 32) throw new ConfigError('VERID_MASTER_KEY_PREVIOUS must be at least 32 characters');
  if (config.faceMatchThreshold !== null && (config.faceMatchThreshold <= 0 || config.faceMatchThreshold >= 1)) {
    throw new ConfigError('VERID_FACE_MATCH_THRESHOLD must be between 0 and 1');
  }
  if (config.keyRefreshSeconds < 1) throw new ConfigError('VERID_KEY_REFRESH_SECONDS must be at least 1');
  if (config.rateLimitRefusalDelayMs < 0 || config.rateLimitRefusalDelayMs > 60_000) throw new ConfigError('VERID_RATE_LIMIT_DELAY_MS must be between 0 and 60000');
  if (config.rateLimitMaxDelayed < 0) throw new ConfigError('VERID_RATE_LIMIT_MAX_DELAYED must be at least 0');
  if (config.maxCaptureAttempts < 1) throw new ConfigError('VERID_MAX_CAPTURE_ATTEMPTS must be at least 1');
  if (config.challengeTtlSeconds < 5) throw new ConfigError('VERID_CHALLENGE_TTL_SECONDS must be at least 5');
  if (config.engineThreads < 1) throw new ConfigError('VERID_ENGINE_THREADS must be at least 1');
  if (config.engineNice < 0 || config.engineNice > 19) throw new ConfigError('VERID_ENGINE_NICE must be between 0 and 19');
  for (const name of ['jobsPollSeconds', 'jobsLeaseSeconds', 'sweepIntervalSeconds', 'processingTimeoutSeconds', 'retentionMediaDays', 'retentionIdentityDays', 'retentionSessionDays'] as const) {
    if (config[name] < 1) throw new ConfigError(`${CONFIG_KEYS[name].env} must be at least 1`);
  }
  // src/biometrics/challenge.ts: MIN_CHALLENGE_LENGTH .. MAX_CHALLENGE_LENGTH
  if (config.livenessSteps < 3 || config.livenessSteps > 8) throw new ConfigError('VERID_LIVENESS_STEPS must be between 3 and 8');
  if (config.maxChallengesPerHour < 1) throw new ConfigError('VERID_MAX_CHALLENGES_PER_HOUR must be at least 1');
  for (const name of ['webhookTimeoutSeconds', 'webhookDisableAfterSeconds', 'webhookDisableAfterFailures', 'webhookDispatchSeconds'] as const) {
    if (config[name] < 1) throw new ConfigError(`${CONFIG_KEYS[name].env} must be at least 1`);
  }
  for (const name of ['documentMaxQueue', 'faceMaxQueue', 'maxUploadsPerKind', 'maxUploadsPerSession', 'rateLimitWindowSeconds'] as const) {
    if (config[name] < 1) throw new ConfigError(`${CONFIG_KEYS[name].env} must be at least 1`);
  }
  parseTrustProxy(config.trustProxy);
  validateLinkDelivery(config);
  if (config.mode === 'production') {
    if (config.devDefaults.length > 0) {
      throw new ConfigError(`production mode refuses development defaults; set ${config.devDefaults.join(', ')}`);
    }
    if (!config.issuer.startsWith('https://')) throw new ConfigError('VERID_ISSUER must be an https:// URL in production');
  }
}

function validateLinkDelivery(config: Config): void {
  if (config.smtpUrl !== null) {
    if (!/^smtps?:\/\/[^\s]+$/.test(config.smtpUrl) || !URL.canParse(config.smtpUrl)) throw new ConfigError('VERID_SMTP_URL must be an smtp:// or smtps:// URL');
    if (!config.mailFrom) throw new ConfigError('VERID_MAIL_FROM is required with VERID_SMTP_URL');
  }
  if (config.smsProvider === 'http' && !config.smsUrl) throw new ConfigError('VERID_SMS_URL is required with VERID_SMS_PROVIDER=http');
  if (config.mode === 'production') {
    if (config.smsProvider === 'console') throw new ConfigError('VERID_SMS_PROVIDER=console writes links to the log: development and test only');
    if (config.smsProvider === 'http' && !config.smsUrl?.startsWith('https://')) throw new ConfigError('VERID_SMS_URL must be an https:// URL in production');
  }
  if (config.linkDeliveryAttempts < 1) throw new ConfigError('VERID_LINK_DELIVERY_ATTEMPTS must be at least 1');
}
