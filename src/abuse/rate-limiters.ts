import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import type { Config } from '../config/index.ts';
import { addressKey } from './address-key.ts';

export interface LimitVerdict {
  limited: boolean;
  /** When `limited`: seconds until the window ends (sent as `Retry-After`). */
  retryAfterSeconds: number;
}

/** One counter family of @fastify/rate-limit: `hit` counts a request, `peek` only reads. */
export interface Limiter {
  readonly name: string;
  /** Counts one more request for `key`; limited once the count passes the maximum. */
  hit(key: string): Promise<LimitVerdict>;
  /** Reads without counting: limited when the maximum is already reached (for buckets fed by failures). */
  peek(key: string): Promise<LimitVerdict>;
}

/** The named limits of docs/security.md "Abuse limits"; each count runs over `rateLimitWindowSeconds`. */
export interface RateLimiters {
  authorizePerIp: Limiter;
  authorizePerClient: Limiter;
  tokenPerClient: Limiter;
  clientAuthFailures: Limiter;
  capturePerSession: Limiter;
  capturePerIp: Limiter;
  captureAuthFailures: Limiter;
  challengePerSession: Limiter;
  apiPerClient: Limiter;
  apiAuthFailures: Limiter;
}

type CheckRequest = FastifyRequest & { limitKey: string };
/** Counter keys in this process; an LRU, so a flood of distinct keys cannot grow memory without bound. */
const LOCAL_KEYS = 100_000;

/**
 * Registers @fastify/rate-limit (Redis store when REDIS_URL is set, so every instance shares the
 * counts; otherwise in memory) without any route-level hook, and returns one limiter per limit.
 * The hooks that call them (oauth-limits.ts, omni/session-guard.ts) decide what a refusal looks like.
 * A store failure (Redis down) lets the request through and is logged: availability first.
 */
export async function createRateLimiters(server: FastifyInstance, config: Config, redis: Redis | null): Promise<RateLimiters> {
  await server.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: 'verid-rate-limit:' } : { cache: LOCAL_KEYS }),
  });
  const timeWindow = config.rateLimitWindowSeconds * 1000;
  // `perAddress`: the key is a client IP, counted by addressKey (an IPv6 /64 is one budget).
  const limiter = (name: string, max: number, perAddress = false): Limiter => {
    const check = server.createRateLimit({ max, timeWindow, keyGenerator: (req) => `${name}:${(req as CheckRequest).limitKey}` });
    const run = async (key: string, increment: boolean): Promise<LimitVerdict> => {
      // The limiter reads only `limitKey` (our key generator) and `routeOptions.config` (its group ids).
      const request = { limitKey: key, routeOptions: { config: {} } } as unknown as CheckRequest;
      try {
        const result = await check(request, { increment });
        if (result.isAllowed) return { limited: false, retryAfterSeconds: 0 };
        const limited = increment ? result.isExceeded : result.remaining <= 0;
        return { limited, retryAfterSeconds: Math.max(1, result.ttlInSeconds) };
      } catch (error) {
        server.log.error({ err: error, limit: name }, 'rate limit store failed; request allowed');
        return { limited: false, retryAfterSeconds: 0 };
      }
    };
    const keyOf = perAddress ? addressKey : (key: string) => key;
    return { name, hit: (key) => run(keyOf(key), true), peek: (key) => run(keyOf(key), false) };
  };
  return {
    authorizePerIp: limiter('authorize-ip', config.rateLimitAuthorizePerIp, true),
    authorizePerClient: limiter('authorize-client', config.rateLimitAuthorizePerClient),
    tokenPerClient: limiter('token-client', config.rateLimitTokenPerClient),
    clientAuthFailures: limiter('client-auth-failures', config.rateLimitClientAuthFailures),
    capturePerSession: limiter('capture-session', config.rateLimitCapturePerSession),
    capturePerIp: limiter('capture-ip', config.rateLimitCapturePerIp, true),
    captureAuthFailures: limiter('capture-auth-failures', config.rateLimitCaptureAuthFailures, true),
    challengePerSession: limiter('challenge-session', config.rateLimitChallengePerSession),
    apiPerClient: limiter('api-client', config.rateLimitApiPerClient),
    apiAuthFailures: limiter('api-auth-failures', config.rateLimitApiAuthFailures, true),
  };
}
