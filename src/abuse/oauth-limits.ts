import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAuthorizationPost } from '../oidc/authorize-post.ts';
import { html, page } from '../web/html.ts';
import type { LimitVerdict, Limiter, RateLimiters } from './rate-limiters.ts';
import { addressKey } from './address-key.ts';
import { logSecurityEvent } from './security-log.ts';

/** Paths of the oidc-provider endpoints limited here (oidc/create-provider.ts ROUTES). */
export interface OAuthPaths {
  authorization: string;
  token: string;
}

/** The client_id of an HTTP Basic client authentication (RFC 6749 §2.3.1: form-urlencoded, then base64). */
export function basicClientId(header: string | undefined): string | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  try {
    return decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

async function firstLimited(checks: Array<[Limiter, string | null]>): Promise<{ limiter: Limiter; verdict: LimitVerdict } | null> {
  for (const [limiter, key] of checks) {
    if (key === null) continue;
    const verdict = await limiter.hit(key);
    if (verdict.limited) return { limiter, verdict };
  }
  return null;
}

/**
 * The route a path reaches in oidc-provider, whose router ignores case and a trailing slash
 * (`/oauth2/Authorize/` is the authorization endpoint): compared that way, no spelling escapes a limit.
 */
export function routePath(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Malformed escapes: compare the path as sent (oidc-provider answers it with an error).
  }
  return decoded.toLowerCase().replace(/\/{2,}/g, '/').replace(/\/+$/, '') || '/';
}

/**
 * onRequest, ahead of the oidc-provider middleware: per-IP and per-client limits of the
 * authorization endpoint (a browser page, so the refusal is an HTML page) and the token endpoint
 * (an OAuth JSON error). Wrong client secrets have their own, stricter budget (oidc/client-auth-guard.ts).
 */
export function oauthLimitsHook(limits: RateLimiters, paths: OAuthPaths) {
  return async function limitOAuth(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const [rawPath = '', query = ''] = request.url.split('?');
    const path = routePath(rawPath);
    // A POSTed request is answered with a 303 to the same request as a GET (oidc/authorize-post.ts):
    // the GET counts, so that one sign-in is one request of the budget.
    if (path === paths.authorization && !isAuthorizationPost(request.method, request.url, paths.authorization)) {
      const clientId = new URLSearchParams(query).get('client_id');
      const hit = await firstLimited([[limits.authorizePerIp, request.ip], [limits.authorizePerClient, clientId]]);
      if (!hit) return undefined;
      logSecurityEvent(request.log, { event: 'rate_limited', route: path, ip: request.ip, clientId, outcome: hit.limiter.name });
      return reply.code(429).header('retry-after', String(hit.verdict.retryAfterSeconds)).type('text/html; charset=utf-8')
        .send(page('Too many sign-in attempts', html`<div class="card" role="alert"><h1>Too many sign-in attempts</h1>
          <p>Please wait ${hit.verdict.retryAfterSeconds} seconds, then try again from the application you came from.</p></div>`));
    }
    if (path === paths.token && request.method === 'POST') {
      const clientId = basicClientId(request.headers.authorization);
      const hit = await firstLimited([[limits.tokenPerClient, clientId ? `client:${clientId}` : `ip:${addressKey(request.ip)}`]]);
      if (!hit) return undefined;
      logSecurityEvent(request.log, { event: 'rate_limited', route: path, ip: request.ip, clientId, outcome: hit.limiter.name });
      return reply.code(429).header('retry-after', String(hit.verdict.retryAfterSeconds)).header('cache-control', 'no-store')
        .send({ error: 'temporarily_unavailable', error_description: `too many token requests; try again in ${hit.verdict.retryAfterSeconds} seconds` });
    }
    return undefined;
  };
}
