import type { FastifyBaseLogger } from 'fastify';
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { Limiter } from '../abuse/rate-limiters.ts';
import type { RefusalDelay } from '../abuse/refusal-delay.ts';
import { addressKey } from '../abuse/address-key.ts';
import { clientIpOf } from '../abuse/client-ip.ts';
import { logSecurityEvent } from '../abuse/security-log.ts';

/** What the provider needs to slow down secret guessing and to report it. */
export interface ClientAuthGuard {
  /** Wrong client secrets per client and IP (consumed only by failures). */
  failures: Limiter;
  log: FastifyBaseLogger;
  /** Holds the 429 back (abuse/refusal-delay.ts). */
  refusalDelay?: RefusalDelay;
}

/**
 * 429 for a client that sent too many wrong secrets from this IP. RFC 6749 has no error code for
 * it; `temporarily_unavailable` is the closest registered one, and the status says the rest.
 */
class TooManyClientAuthFailures extends errors.OIDCProviderError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(429, 'temporarily_unavailable');
    this.error_description = `too many failed client authentications; try again in ${retryAfterSeconds} seconds`;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The request being handled (oidc-provider keeps it in AsyncLocalStorage). */
const currentContext = (): KoaContextWithOIDC | undefined => (Provider as unknown as { ctx?: KoaContextWithOIDC }).ctx;

const routeOf = (ctx: KoaContextWithOIDC): string => ctx.path;

/**
 * Wraps the client secret comparison (client_secret_basic / client_secret_post, see
 * verify-client-secret.ts): a client+IP over its failure budget is refused before the secret is
 * looked at, and every wrong secret consumes the budget. Secret guessing is the only cheap attack
 * on client authentication; JWT-based methods cannot be guessed.
 */
export function guardClientAuthentication(provider: Provider, guard: ClientAuthGuard): void {
  const prototype = provider.Client.prototype as unknown as { compareClientSecret: (this: { clientId: string }, actual: string) => Promise<boolean> };
  const compare = prototype.compareClientSecret;
  prototype.compareClientSecret = async function guardedCompare(actual: string): Promise<boolean> {
    const ctx = currentContext();
    const ip = clientIpOf(ctx?.req);
    const key = `${this.clientId}|${ip ? addressKey(ip) : 'unknown'}`;
    const before = await guard.failures.peek(key);
    if (before.limited) {
      await guard.refusalDelay?.hold();
      throw new TooManyClientAuthFailures(before.retryAfterSeconds);
    }
    const matches = await compare.call(this, actual);
    if (!matches) await guard.failures.hit(key);
    return matches;
  };

  provider.on('grant.error', (ctx: KoaContextWithOIDC, error: errors.OIDCProviderError) => {
    const ip = clientIpOf(ctx.req);
    const clientId = ctx.oidc?.client?.clientId ?? (typeof ctx.oidc?.params?.client_id === 'string' ? ctx.oidc.params.client_id : null);
    if (error instanceof TooManyClientAuthFailures) {
      // Emitted before Koa writes the response, so the header still goes out.
      ctx.set('retry-after', String(error.retryAfterSeconds));
      logSecurityEvent(guard.log, { event: 'rate_limited', route: routeOf(ctx), ip, clientId, outcome: guard.failures.name });
    } else if (error.error === 'invalid_client') {
      logSecurityEvent(guard.log, { event: 'client_auth_failed', route: routeOf(ctx), ip, clientId, outcome: 'invalid_client' });
    }
  });
}
