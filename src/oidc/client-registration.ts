import { randomBytes } from 'node:crypto';
import { AppError } from '../errors/index.ts';
import { hashSecret } from '../security/index.ts';
import type { ClientRecord, ClientRepository } from '../storage/index.ts';
import { isEntraTenantId } from './entra-hint.ts';

export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'] as const;
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];
export const SUPPORTED_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'identity_assurance'] as const;
/** What a server-to-server (API) client may be allowed to do; its access tokens carry a subset. */
export const API_SCOPES = ['omni:start', 'sessions:read', 'sessions:close', 'sessions:delete', 'documents:read', 'employees', 'verifications'] as const;
export type ApiScope = (typeof API_SCOPES)[number];
/** What a CIBA request may ask for: an ID token with the verified claims. */
const CIBA_SCOPES = ['openid', 'profile', 'identity_assurance'] as const;
const CIBA_GRANT = 'urn:openid:params:grant-type:ciba';
export type ClientKind = 'oidc' | 'api';
/** Where Microsoft Entra receives an external authentication method's answer (its default redirect URI). */
export const ENTRA_EAM_REDIRECT_URI = 'https://login.microsoftonline.com/common/federation/externalauthprovider';

/** API clients authenticate themselves (client_credentials); OIDC clients log people in. */
export function clientKind(record: Pick<ClientRecord, 'metadata'>): ClientKind {
  const grants = record.metadata.grant_types;
  return Array.isArray(grants) && grants.includes('client_credentials') ? 'api' : 'oidc';
}

export interface RegisterClientInput {
  /** oidc (default): a relying party; api: a server calling /omni/start and the session API. */
  kind?: ClientKind;
  /** API clients only: may also use OpenID CIBA (poll mode) to verify an employee and receive an ID token. */
  ciba?: boolean;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  scopes?: string[];
  environment: 'demo' | 'production';
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** OIDC clients: code (default) and/or id_token (Entra external authentication methods: id_token with form_post). */
  responseTypes?: Array<'code' | 'id_token'>;
  /** ID token signing algorithm (default RS256). */
  idTokenAlg?: 'RS256' | 'ES256';
  /** false: the client may omit PKCE (Entra External ID, Azure AD B2C). A downgrade: only for such clients. */
  pkceRequired?: boolean;
  /** OpenID Back-Channel Logout: where verid posts the logout token when the person signs out. */
  backchannelLogoutUri?: string;
  /**
   * entra-eam: a Microsoft Entra external authentication method (docs/integrations/entra.md):
   * id_token by form_post, Entra's id_token_hint names the user, RS256; needs `entraTenantId`.
   */
  profile?: 'entra-eam';
  entraTenantId?: string;
  /** Where the tenant's signing keys are; default Entra's (https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys). */
  entraJwksUri?: string;
  /** For private_key_jwt: the client's public keys, inline or by URL. */
  jwks?: { keys: object[] };
  jwksUri?: string;
}

export interface RegisteredClient {
  clientId: string;
  /** Shown once; only its hash is stored. Null for private_key_jwt clients. */
  clientSecret: string | null;
  record: ClientRecord;
}

function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** Redirect URIs are matched exactly later, so they must be exact, absolute and fragment-free now. */
export function validateRedirectUri(value: string, environment: 'demo' | 'production'): string {
  if (!URL.canParse(value)) throw new AppError('validation_failed', `redirect URI is not an absolute URL: ${value}`);
  const url = new URL(value);
  if (url.hash) throw new AppError('validation_failed', `redirect URI must not contain a fragment: ${value}`);
  if (url.protocol !== 'https:' && !isLoopback(url) && !(environment === 'demo' && url.protocol === 'http:')) {
    throw new AppError('validation_failed', `redirect URI must use https (or http on localhost): ${value}`);
  }
  return value;
}

/** An API client's credentials as one `x-api-key` value: `<client_id>.<client_secret>`. */
export function apiKeyOf(clientId: string, secret: string): string {
  return `${clientId}.${secret}`;
}

export function parseApiKey(value: string): { clientId: string; secret: string } | undefined {
  const dot = value.indexOf('.');
  if (dot <= 0 || dot === value.length - 1) return undefined;
  return { clientId: value.slice(0, dot), secret: value.slice(dot + 1) };
}

export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The Entra EAM profile's settings on top of the input: an OIDC client answering `id_token` (RS256)
 * to Entra's redirect URI unless others are given, with the tenant it takes hints from.
 */
function withProfile(input: RegisterClientInput): { input: RegisterClientInput; metadata: Record<string, unknown> } {
  if (input.profile === undefined) {
    if (input.entraTenantId !== undefined || input.entraJwksUri !== undefined) throw new AppError('validation_failed', 'the Entra tenant and keys are settings of --profile entra-eam');
    return { input, metadata: {} };
  }
  if (input.profile !== 'entra-eam') throw new AppError('validation_failed', 'the only profile is entra-eam');
  if (input.kind === 'api' || input.ciba) throw new AppError('validation_failed', 'an Entra external authentication method is an OIDC client');
  if (!isEntraTenantId(input.entraTenantId)) throw new AppError('validation_failed', 'an Entra external authentication method needs the tenant ID (a GUID): --entra-tenant');
  if ((input.responseTypes ?? ['id_token']).some((type) => type !== 'id_token')) throw new AppError('validation_failed', 'an Entra external authentication method answers id_token only');
  if ((input.idTokenAlg ?? 'RS256') !== 'RS256') throw new AppError('validation_failed', 'Microsoft Entra accepts RS256 ID tokens only');
  return {
    input: { ...input, responseTypes: ['id_token'], idTokenAlg: 'RS256', scopes: input.scopes ?? ['openid'], redirectUris: input.redirectUris.length > 0 ? input.redirectUris : [ENTRA_EAM_REDIRECT_URI] },
    metadata: { entra_tenant_id: input.entraTenantId, ...(input.entraJwksUri ? { entra_jwks_uri: input.entraJwksUri } : {}) },
  };
}

export async function registerClient(
  clients: ClientRepository, requested: RegisterClientInput, validate: (metadata: Record<string, unknown>) => Promise<void>,
): Promise<RegisteredClient> {
  const { input, metadata: profileMetadata } = withProfile(requested);
  if (!input.name.trim()) throw new AppError('validation_failed', 'the client needs a name');
  const api = input.kind === 'api';
  if (api && (input.redirectUris.length > 0 || (input.postLogoutRedirectUris ?? []).length > 0)) {
    throw new AppError('validation_failed', 'API clients do not log people in: they take no redirect URIs');
  }
  if (!api && input.redirectUris.length === 0) throw new AppError('validation_failed', 'register at least one redirect URI');
  const redirectUris = input.redirectUris.map((u) => validateRedirectUri(u, input.environment));
  const postLogout = (input.postLogoutRedirectUris ?? []).map((u) => validateRedirectUri(u, input.environment));
  if (input.ciba && !api) throw new AppError('validation_failed', 'CIBA is for API clients (--kind api)');
  const allowed: readonly string[] = api ? [...API_SCOPES, ...(input.ciba ? CIBA_SCOPES : [])] : SUPPORTED_SCOPES;
  const scopes = [...(input.scopes ?? allowed)];
  if (input.ciba && !scopes.includes('openid')) scopes.push('openid');
  const unknown = scopes.filter((s) => !allowed.includes(s));
  if (unknown.length > 0) throw new AppError('validation_failed', `unsupported scope(s) for ${api ? 'an API' : 'an OIDC'} client: ${unknown.join(', ')}`);
  if (!api && !scopes.includes('openid')) scopes.unshift('openid');
  if (scopes.length === 0) throw new AppError('validation_failed', 'allow at least one scope');
  const responseTypes = api ? [] : [...new Set(input.responseTypes ?? ['code'])];
  if (!api && responseTypes.length === 0) throw new AppError('validation_failed', 'allow at least one response type');
  if (api && (input.responseTypes || input.pkceRequired === false || input.backchannelLogoutUri)) {
    throw new AppError('validation_failed', 'response types, PKCE and back-channel logout are for OIDC clients');
  }
  const method = input.tokenEndpointAuthMethod;
  if (method === 'private_key_jwt' && !input.jwks && !input.jwksUri) {
    throw new AppError('validation_failed', 'private_key_jwt clients need --jwks or --jwks-uri');
  }

  const clientId = `vc_${randomBytes(12).toString('base64url')}`;
  const clientSecret = method === 'private_key_jwt' ? null : newClientSecret();
  const metadata: Record<string, unknown> = {
    client_name: input.name.trim(),
    redirect_uris: redirectUris,
    post_logout_redirect_uris: postLogout,
    grant_types: api ? ['client_credentials', ...(input.ciba ? [CIBA_GRANT] : [])]
      : [...(responseTypes.includes('code') ? ['authorization_code', 'refresh_token'] : []), ...(responseTypes.includes('id_token') ? ['implicit'] : [])],
    response_types: api ? [] : responseTypes,
    token_endpoint_auth_method: method,
    scope: scopes.join(' '),
    ...(api && !input.ciba ? {} : { id_token_signed_response_alg: input.idTokenAlg ?? 'RS256' }),
    ...(input.pkceRequired === false ? { pkce_required: false } : {}),
    ...(input.backchannelLogoutUri ? { backchannel_logout_uri: validateRedirectUri(input.backchannelLogoutUri, input.environment), backchannel_logout_session_required: true } : {}),
    ...(input.ciba ? { backchannel_token_delivery_mode: 'poll' } : {}),
    ...(input.jwks ? { jwks: input.jwks } : {}),
    ...(input.jwksUri ? { jwks_uri: input.jwksUri } : {}),
    ...profileMetadata,
  };
  await validate({ ...metadata, client_id: clientId, ...(clientSecret ? { client_secret: clientSecret } : {}) });
  await clients.create({
    clientId,
    name: input.name.trim(),
    environment: input.environment,
    metadata,
    secretHash: clientSecret ? hashSecret(clientSecret) : null,
    secretForHmac: method === 'client_secret_jwt' ? clientSecret : null,
  });
  const record = await clients.find(clientId);
  if (!record) throw new Error('client vanished after insert');
  return { clientId, clientSecret, record };
}

/** A new secret; the previous one keeps working for `graceSeconds`. */
export async function rotateClientSecret(clients: ClientRepository, clientId: string, graceSeconds: number): Promise<string> {
  const record = await clients.find(clientId);
  if (!record) throw new AppError('not_found', `no client ${clientId}`);
  if (record.metadata.token_endpoint_auth_method === 'private_key_jwt') {
    throw new AppError('invalid_request', 'private_key_jwt clients have no secret; rotate their keys instead');
  }
  const secret = newClientSecret();
  const hmac = record.metadata.token_endpoint_auth_method === 'client_secret_jwt' ? secret : null;
  if (!(await clients.rotateSecret(clientId, hashSecret(secret), hmac, Date.now() + graceSeconds * 1000))) {
    throw new AppError('conflict', 'The client changed meanwhile (another rotation?); retry');
  }
  return secret;
}
