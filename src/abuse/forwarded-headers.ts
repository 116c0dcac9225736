import type { FastifyRequest } from 'fastify';
import type { TrustedProxies } from '../config/index.ts';
import { rememberClientIp } from './client-ip.ts';

const FORWARDED = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'x-real-ip'];

/**
 * onRequest: forwarded headers count only when the peer is a trusted proxy (VERID_TRUST_PROXY).
 * Fastify already ignores them for `request.ip`, but oidc-provider (Koa's `proxy` flag) is all or
 * nothing, so they are removed from the raw request before it can read them.
 */
export function forwardedHeadersHook(trusted: TrustedProxies) {
  return async function dropUntrustedForwarding(request: FastifyRequest): Promise<void> {
    if (!trusted.isTrusted(request.socket.remoteAddress)) {
      for (const name of FORWARDED) delete request.raw.headers[name];
    }
    rememberClientIp(request.raw, request.ip);
  };
}
