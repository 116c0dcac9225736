import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimiters } from '../../abuse/rate-limiters.ts';
import { logSecurityEvent } from '../../abuse/security-log.ts';
import { AppError } from '../../errors/index.ts';
import { hasApiCredential } from '../api-auth.ts';
import type { ImageKind, VerificationService } from '../../verification/index.ts';

const TOKEN_HEADER = 'x-incode-hardware-id';
const LIVENESS_ROUTES = ['/omni/liveness/', '/omni/add/liveness-frames'];

/** The session token: `Authorization: Bearer`, or Omni's legacy header. */
export function sessionToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  const legacy = request.headers[TOKEN_HEADER];
  return typeof legacy === 'string' && legacy.length > 0 ? legacy : null;
}

export function bearer(request: FastifyRequest): string {
  const token = sessionToken(request);
  if (!token) throw new AppError('unauthorized', 'Send the session token as `Authorization: Bearer <token>`');
  return token;
}

function refuse(request: FastifyRequest, limit: string, retryAfterSeconds: number): never {
  logSecurityEvent(request.log, { event: 'rate_limited', route: routeOf(request), ip: request.ip, outcome: limit });
  throw new AppError('rate_limited', `Too many requests; try again in ${retryAfterSeconds} seconds`, { retryAfterSeconds });
}

const routeOf = (request: FastifyRequest): string => request.routeOptions.url ?? request.url.split('?')[0] ?? '';

/**
 * onRequest for every session-token route: limits, then the token, before a byte of the body is
 * read. Per IP first (it also bounds token guessing), then the failed-token budget of the IP, then
 * whether the token exists at all (one indexed lookup; the handler still resolves the session and
 * answers expired or closed sessions exactly as before), then the per-session limits and, for an
 * upload, the session's upload cap.
 */
export function sessionGuardHook(verification: VerificationService, limits: RateLimiters, uploadKinds: ReadonlyMap<string, ImageKind>) {
  return async function guardSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    // A result read with an API credential is authenticated (and limited) as an API call by its route.
    if (request.method === 'GET' && hasApiCredential(request)) return;
    // A refusal here leaves the body unread: closing the connection stops it instead of draining it.
    const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    if (hasBody) reply.header('connection', 'close');
    const perIp = await limits.capturePerIp.hit(request.ip);
    if (perIp.limited) refuse(request, limits.capturePerIp.name, perIp.retryAfterSeconds);
    const failures = await limits.captureAuthFailures.peek(request.ip);
    if (failures.limited) refuse(request, limits.captureAuthFailures.name, failures.retryAfterSeconds);
    const token = sessionToken(request);
    const interviewId = token ? await verification.sessionIdForToken(token) : undefined;
    if (!token || !interviewId) {
      await limits.captureAuthFailures.hit(request.ip);
      logSecurityEvent(request.log, { event: 'auth_failed', route: routeOf(request), ip: request.ip, outcome: token ? 'unknown_token' : 'missing_token' });
      throw new AppError('unauthorized', token ? 'The session token is not valid' : 'Send the session token as `Authorization: Bearer <token>`');
    }
    // Counters are keyed by a digest: the token itself never reaches the rate-limit store.
    const session = createHash('sha256').update(token).digest('base64url');
    const perSession = await limits.capturePerSession.hit(session);
    if (perSession.limited) refuse(request, limits.capturePerSession.name, perSession.retryAfterSeconds);
    if (LIVENESS_ROUTES.some((prefix) => routeOf(request).startsWith(prefix))) {
      const challenge = await limits.challengePerSession.hit(session);
      if (challenge.limited) refuse(request, limits.challengePerSession.name, challenge.retryAfterSeconds);
    }
    // A session out of uploads gets its 409 before the (up to 14 MB) body is read.
    const kind = uploadKinds.get(routeOf(request));
    if (kind) await verification.assertMayUpload(interviewId, kind);
    reply.removeHeader('connection');
  };
}

/** onSend: a failed liveness challenge is a security event (a replayed or synthetic video looks like this). */
export function challengeOutcomeHook() {
  return async function logChallengeOutcome(request: FastifyRequest, reply: { statusCode: number }, payload: unknown): Promise<unknown> {
    if (routeOf(request) === '/omni/add/liveness-frames' && reply.statusCode === 200 && typeof payload === 'string') {
      const verdict = JSON.parse(payload) as { status?: string; reasons?: string[] };
      if (verdict.status === 'FAIL') {
        logSecurityEvent(request.log, { event: 'challenge_failed', route: routeOf(request), ip: request.ip, outcome: (verdict.reasons ?? []).join(',') });
      }
    }
    return payload;
  };
}
