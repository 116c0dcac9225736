import type { FastifyRequest } from 'fastify';
import type { Limiter } from '../abuse/rate-limiters.ts';
import { logSecurityEvent } from '../abuse/security-log.ts';
import { AppError } from '../errors/index.ts';
import { API_SCOPES, clientKind, parseApiKey, type ApiScope } from '../oidc/client-registration.ts';
import type { ProviderHost } from '../oidc/provider-host.ts';
import { clientSecretMatches } from '../oidc/verify-client-secret.ts';
import type { ClientRecord, ClientRepository } from '../storage/index.ts';
import type { Environment } from '../verification/index.ts';

/** An authenticated API client and what this request may do. */
export interface ApiCaller {
  clientId: string;
  environment: Environment;
  scopes: ReadonlySet<ApiScope>;
}

export interface ApiAuthDependencies {
  clients: ClientRepository;
  oidc: ProviderHost;
  perClient: Limiter;
  /** Missing, unknown or wrong credentials per IP. */
  failures: Limiter;
}

const API_KEY_HEADER = 'x-api-key';

/** Whether the request carries an API credential (rather than a session's capture token). */
export function hasApiCredential(request: FastifyRequest): boolean {
  return typeof request.headers[API_KEY_HEADER] === 'string' || typeof (request.query as Record<string, unknown> | undefined)?.id === 'string';
}

const routeOf = (request: FastifyRequest): string => request.routeOptions.url ?? request.url.split('?')[0] ?? '';

/**
 * Resolves the API client behind a request: an access token from `client_credentials`
 * (`Authorization: Bearer`), or the `x-api-key` header (`<client_id>.<client_secret>`, Omni style).
 * Only API clients count (an OIDC client's user access token is refused), the client must still be
 * registered, and a token's scopes are cut to what the client is allowed now. A token requested
 * without `scope` carries the client's registered scopes (RFC 6749 §3.3's default).
 */
export async function authenticateApiCaller(request: FastifyRequest, deps: ApiAuthDependencies): Promise<ApiCaller> {
  const failed = await deps.failures.peek(request.ip);
  if (failed.limited) {
    logSecurityEvent(request.log, { event: 'rate_limited', route: routeOf(request), ip: request.ip, outcome: deps.failures.name });
    throw new AppError('rate_limited', `Too many failed authentications; try again in ${failed.retryAfterSeconds} seconds`, { retryAfterSeconds: failed.retryAfterSeconds });
  }
  const resolved = await resolveCredential(request, deps);
  if ('refused' in resolved) {
    await deps.failures.hit(request.ip);
    logSecurityEvent(request.log, { event: 'auth_failed', route: routeOf(request), ip: request.ip, outcome: resolved.outcome });
    throw new AppError('unauthorized', resolved.refused);
  }
  const { client, tokenScopes } = resolved;
  const limited = await deps.perClient.hit(client.clientId);
  if (limited.limited) {
    logSecurityEvent(request.log, { event: 'rate_limited', route: routeOf(request), ip: request.ip, clientId: client.clientId, outcome: deps.perClient.name });
    throw new AppError('rate_limited', `Too many requests for this client; try again in ${limited.retryAfterSeconds} seconds`, { retryAfterSeconds: limited.retryAfterSeconds });
  }
  const allowed = registeredScopes(client);
  const scopes = tokenScopes === null ? allowed : new Set([...tokenScopes].filter((s): s is ApiScope => allowed.has(s as ApiScope)));
  return { clientId: client.clientId, environment: client.environment, scopes };
}

type Resolution = { client: ClientRecord; tokenScopes: Set<string> | null } | { refused: string; outcome: string };

/**
 * The API key: the `x-api-key` header, or a bearer token in the API key's own shape
 * (`<client_id>.<secret>`: SCIM provisioning clients such as Okta's send a static bearer token).
 */
function apiKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers[API_KEY_HEADER];
  if (typeof header === 'string') return header;
  const bearer = request.headers.authorization?.startsWith('Bearer ') ? request.headers.authorization.slice(7).trim() : '';
  return bearer.startsWith('vc_') && bearer.includes('.') ? bearer : undefined;
}

async function resolveCredential(request: FastifyRequest, deps: ApiAuthDependencies): Promise<Resolution> {
  const apiKey = apiKeyOf(request);
  if (typeof apiKey === 'string') {
    const parsed = parseApiKey(apiKey.trim());
    const client = parsed && await deps.clients.find(parsed.clientId);
    if (!parsed || !client || clientKind(client) !== 'api' || !clientSecretMatches(client, parsed.secret)) {
      return { refused: 'The API key is not valid', outcome: 'invalid_api_key' };
    }
    return { client, tokenScopes: null };
  }
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (!token) return { refused: 'Send an access token (`Authorization: Bearer`, from client_credentials) or an `x-api-key` header', outcome: 'missing_credential' };
  const found = await deps.oidc.provider.ClientCredentials.find(token).catch(() => undefined);
  if (!found?.clientId || found.isExpired) return { refused: 'The access token is not valid or has expired', outcome: 'invalid_token' };
  const client = await deps.clients.find(found.clientId);
  if (!client || clientKind(client) !== 'api') return { refused: 'The access token is not valid or has expired', outcome: 'invalid_token' };
  return { client, tokenScopes: found.scope ? new Set(found.scope.split(' ')) : null };
}

function registeredScopes(client: ClientRecord): Set<ApiScope> {
  const registered = String(client.metadata.scope ?? '').split(' ');
  return new Set(API_SCOPES.filter((s) => registered.includes(s)));
}

export function requireScope(caller: ApiCaller, scope: ApiScope): void {
  if (!caller.scopes.has(scope)) {
    throw new AppError('insufficient_scope', `This credential does not carry the ${scope} scope`, { details: { scope } });
  }
}
