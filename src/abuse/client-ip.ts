import type { IncomingMessage } from 'node:http';

/**
 * The client IP Fastify resolved for a raw request (honouring only trusted proxies), for code that
 * sees the raw request only: oidc-provider's hooks and events. Weak: it goes with the request.
 */
const addresses = new WeakMap<IncomingMessage, string>();

export function rememberClientIp(raw: IncomingMessage, ip: string): void {
  addresses.set(raw, ip);
}

export function clientIpOf(raw: IncomingMessage | undefined): string | undefined {
  return raw ? addresses.get(raw) : undefined;
}
