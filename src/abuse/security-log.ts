import type { FastifyBaseLogger } from 'fastify';

/**
 * A security-relevant outcome, logged as one line with a stable `event` name. Ids, addresses,
 * routes and outcomes only: never a token, secret, login hint, name or e-mail address.
 */
export interface SecurityEvent {
  event: 'auth_failed' | 'client_auth_failed' | 'rate_limited' | 'engine_busy' | 'upload_refused' | 'challenge_failed';
  route: string;
  ip: string | undefined;
  clientId?: string | null;
  /** A limit's name, an error code or a verdict. */
  outcome: string;
}

export function logSecurityEvent(log: FastifyBaseLogger, entry: SecurityEvent): void {
  log.warn({ security: entry }, `security: ${entry.event}`);
}
