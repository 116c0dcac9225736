import { hkdfSync } from 'node:crypto';
import Provider, { errors, interactionPolicy, type Account, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { CibaHooks } from '../b2b/ciba.ts';
import type { Config } from '../config/index.ts';
import type { ClientRepository, OidcPayloadRepository } from '../storage/index.ts';
import type { IdentityStore } from '../verification/index.ts';
import { html, page, SafeHtml } from '../web/html.ts';
import { DELEGATED_TRUST_FRAMEWORKS, requestedVerifiedClaims, standardClaims } from './account-claims.ts';
import { API_SCOPES } from './client-registration.ts';
import { guardClientAuthentication, type ClientAuthGuard } from './client-auth-guard.ts';
import { acceptEntraHints, ENTRA_CLIENT_METADATA, entraAccount, entraEamChecks, validateEntraMetadata, type EntraEamDependencies } from './entra-eam.ts';
import { ENTRA_ACR } from './entra-hint.ts';
import { createStorageAdapter } from './storage-adapter.ts';
import { bindClientSecretVerification } from './verify-client-secret.ts';

/** Authentication context class for "government ID document + face matched to its portrait". */
export const ACR_DOCUMENT_AND_FACE = 'urn:verid:acr:document-face';

export interface ProviderDependencies {
  config: Config;
  payloads: OidcPayloadRepository;
  clients: ClientRepository;
  identities: IdentityStore;
  jwks: { keys: object[] };
  /** Believe X-Forwarded-Host/-Proto: only when VERID_TRUST_PROXY is set (untrusted peers' headers are removed first). */
  trustProxy?: boolean;
  /** Failure budget and logger for client secrets; the server always sets it (the CLI only validates metadata). */
  clientAuth?: ClientAuthGuard;
  /** CIBA for B2B clients (the server sets it; without it a backchannel request is refused). */
  ciba?: CibaHooks;
  /** Microsoft Entra external authentication method clients (the server sets it; without it their hints are refused). */
  entra?: EntraEamDependencies;
}

export const ROUTES = {
  authorization: '/oauth2/authorize',
  token: '/oauth2/token',
  userinfo: '/oauth2/userinfo',
  jwks: '/oauth2/jwks',
  revocation: '/oauth2/revoke',
  introspection: '/oauth2/introspect',
  end_session: '/oauth2/end_session',
  pushed_authorization_request: '/oauth2/par',
  backchannel_authentication: '/oauth2/backchannel',
  code_verification: '/oauth2/device',
  device_authorization: '/oauth2/device/auth',
  registration: '/oauth2/register',
  challenge: '/oauth2/challenge',
} as const;

export function isProviderPath(url: string): boolean {
  return url.startsWith('/oauth2/') || url.startsWith('/.well-known/');
}

/**
 * oidc-provider's prompts (login, consent) plus `select_account` (OIDC Core §3.1.2.1), which brokers
 * send: verid has no accounts to choose between, so it means what `login` means — a verification
 * now — and is resolved by it (the interaction's result carries `select_account`).
 */
function interactionPrompts() {
  const policy = interactionPolicy.base();
  policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);
  for (const check of entraEamChecks()) policy.get('login')!.checks.add(check);
  return policy;
}

/**
 * oidc-provider includes a requested claim in a token only when its request is null or an object;
 * `verified_claims` may also be an array of requests (OIDC4IDA §6). For the inclusion decision an
 * array counts as requested; what is answered comes from `findAccount` (requestedVerifiedClaims).
 */
function allowVerifiedClaimsArrays(provider: Provider): void {
  const claims = provider.Claims as unknown as { prototype: { mask(value: unknown): void } };
  const mask = claims.prototype.mask;
  claims.prototype.mask = function maskWithArrays(value: unknown) {
    const request = value as Record<string, unknown> | undefined;
    return mask.call(this, request && Array.isArray(request.verified_claims) ? { ...request, verified_claims: {} } : value);
  };
}

export function createProvider(deps: ProviderDependencies): Provider {
  const { config } = deps;
  // Signed with the first key, verified with any: during a master-key rotation the previous key's
  // comes second, so cookies set before the restart keep their sessions.
  const cookieKeys = [config.masterKey, config.masterKeyPrevious].filter((key) => key !== null)
    .map((key) => Buffer.from(hkdfSync('sha256', key, 'verid', 'oidc cookie signing v1', 32)).toString('base64url'));

  const configuration: Configuration = {
    adapter: createStorageAdapter(deps.payloads, deps.clients),
    jwks: deps.jwks as Configuration['jwks'],
    routes: ROUTES,
    cookies: { keys: cookieKeys },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'identity_assurance', ...API_SCOPES],
    claims: {
      // acr/amr say how the user was verified; brokers need them in every ID token.
      openid: ['sub', 'acr', 'amr'],
      profile: ['name', 'given_name', 'family_name', 'birthdate', 'gender'],
      email: ['email', 'email_verified'],
      identity_assurance: ['verified_claims'],
    },
    // Verified document claims belong in the ID token: brokers (Entra, Okta) read them from there.
    conformIdTokenClaims: false,
    acrValues: [ACR_DOCUMENT_AND_FACE, ENTRA_ACR],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'],
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'ES256'],
      userinfoSigningAlgValues: ['RS256', 'ES256'],
      clientAuthSigningAlgValues: ['HS256', 'HS384', 'HS512', 'RS256', 'PS256', 'ES256', 'EdDSA'],
    },
    // PKCE is required unless the client was registered as one that cannot send it (Entra External ID,
    // Azure AD B2C): `--pkce optional`, documented as a downgrade (docs/oidc.md).
    pkce: { required: (_ctx, client) => (client.metadata() as { pkce_required?: boolean }).pkce_required !== false },
    extraClientMetadata: {
      properties: ['pkce_required', ...ENTRA_CLIENT_METADATA],
      validator: (_ctx, key, value) => {
        if (key === 'pkce_required' && value !== undefined && typeof value !== 'boolean') throw new errors.InvalidClientMetadata('pkce_required must be a boolean');
        validateEntraMetadata(key, value);
      },
    },
    // redirect_uri in every authorization and token request, even with one registered URI (RFC 9700 §2.1).
    allowOmittingSingleRegisteredRedirectUri: false,
    // Every refresh rotates the token; presenting a used one revokes the whole grant (reuse detection, RFC 9700 §4.14.2).
    rotateRefreshToken: true,
    responseTypes: ['code', 'id_token', 'none'],
    features: {
      devInteractions: { enabled: false },
      // A broker's logout ends verid's session for it too (OpenID Back-Channel Logout 1.0).
      backchannelLogout: { enabled: true },
      // Server-to-server access tokens for API clients (grant_types: client_credentials only); see src/api/api-auth.ts.
      clientCredentials: { enabled: true },
      // OpenID CIBA, poll mode, for B2B clients registered with --ciba: login_hint names an employee (src/b2b/ciba.ts).
      ciba: {
        enabled: true,
        deliveryModes: ['poll'],
        processLoginHint: async (ctx, hint) => {
          if (!deps.ciba) throw new errors.InvalidRequest('CIBA is not available here');
          return deps.ciba.processLoginHint(ctx, hint ?? '');
        },
        processLoginHintToken: async () => { throw new errors.InvalidRequest('login_hint_token is not supported; send login_hint (the employee\'s e-mail or employeeId)'); },
        validateRequestContext: async () => undefined,
        verifyUserCode: async (_ctx, _account, userCode) => {
          if (userCode) throw new errors.InvalidRequest('user_code is not supported');
        },
        triggerAuthenticationDevice: async (ctx, request, account, client) => {
          if (!deps.ciba) throw new errors.InvalidRequest('CIBA is not available here');
          await deps.ciba.triggerAuthenticationDevice(ctx, request as never, account, client);
        },
      },
      claimsParameter: {
        enabled: true,
        // As oidc-provider's default, except that `verified_claims` may be an array of requests
        // (OpenID Connect for Identity Assurance §6; Okta's IDV integration sends one).
        assertClaimsParameter: async (_ctx, claims) => {
          const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
          for (const container of ['userinfo', 'id_token'] as const) {
            for (const [name, value] of Object.entries((claims as Record<string, Record<string, unknown> | undefined>)[container] ?? {})) {
              const ok = value === null || isObject(value) || (name === 'verified_claims' && Array.isArray(value) && value.length > 0 && value.every(isObject));
              if (!ok) throw new errors.InvalidRequest(`claims.${container} members must be null or objects (verified_claims: an object or an array of objects)`);
            }
          }
        },
      },
      // A client may only revoke or introspect the tokens issued to it (RFC 7009 §2.1, RFC 7662 §4).
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => !token || token.clientId === client.clientId },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page('Sign out', html`<div class="card"><h1>Sign out</h1><p>Do you want to sign out of verid?</p>
            ${new SafeHtml(form)}
            <button form="op.logoutForm" name="logout" value="yes" type="submit">Sign out</button></div>`);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = page('Signed out', html`<div class="card"><h1>You are signed out</h1><p class="muted">You can close this window.</p></div>`);
        },
      },
    },
    ttl: {
      AccessToken: config.accessTokenTtlSeconds,
      ClientCredentials: config.accessTokenTtlSeconds,
      IdToken: config.idTokenTtlSeconds,
      RefreshToken: config.refreshTokenTtlSeconds,
      AuthorizationCode: 60,
      Interaction: Math.max(config.sessionTtlSeconds, 600),
      Session: 14 * 86_400,
      Grant: config.refreshTokenTtlSeconds,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy: interactionPrompts() },
    // RFC 6749 §5.2: an unknown scope is `invalid_scope`. oidc-provider drops it instead, and a token
    // asked for with unknown scopes only would carry none — which API calls read as "every scope the
    // client is registered for" (the default of a request without `scope`). Called before it is stored.
    extraTokenClaims: async (ctx, token) => {
      if (token.kind !== 'ClientCredentials') return undefined;
      // The request's own `scope`: by now oidc-provider has dropped the values it does not know from `params`.
      const requested = String(ctx?.oidc.body?.scope ?? '').split(' ').filter(Boolean);
      const unknown = requested.find((scope) => !(API_SCOPES as readonly string[]).includes(scope));
      if (unknown !== undefined) throw new errors.InvalidScope('requested scope is not known', unknown);
      return undefined;
    },
    findAccount: async (ctx, sub) => {
      // The claims of identity `identityId`, asserted under `sub`.
      const claimsOf = async (identityId: string): Promise<Account['claims'] | undefined> => {
        const identity = await deps.identities.findClaims(identityId);
        if (!identity) return undefined;
        return async (_use, _scope, requested) => ({
          ...standardClaims(sub, identity),
          verified_claims: requestedVerifiedClaims(identity, config.trustFramework, (requested as Record<string, unknown> | undefined)?.verified_claims),
        });
      };
      const entra = await entraAccount(ctx, sub, deps.entra?.subjects, claimsOf);
      if (entra !== 'not-entra') return entra;
      const claims = await claimsOf(sub);
      return claims ? { accountId: sub, claims } : undefined;
    },
    discovery: {
      verified_claims_supported: true,
      trust_frameworks_supported: [config.trustFramework, ...DELEGATED_TRUST_FRAMEWORKS],
      evidence_supported: ['document'],
      documents_supported: ['passport', 'idcard'],
      documents_check_methods_supported: ['vri', 'bvr'],
      claims_in_verified_claims_supported: ['given_name', 'family_name', 'name', 'birthdate', 'gender'],
    },
    renderError: async (ctx: KoaContextWithOIDC, out, _error) => {
      ctx.type = 'html';
      ctx.body = page('Sign-in error', html`<div class="card" role="alert"><h1>We could not start the sign-in</h1>
        <p class="error"><strong>${out.error}</strong></p><p>${out.error_description ?? ''}</p>
        <p class="muted">Contact the administrator of the application you came from. Nothing was sent back to it.</p></div>`);
    },
  };

  const provider = new Provider(config.issuer, configuration);
  provider.proxy = deps.trustProxy ?? false;
  // RFC 6749 §5.2: a grant the client is not registered for is `unauthorized_client`; oidc-provider says invalid_request.
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (ctx.path === ROUTES.token && ctx.status === 400 && body?.error === 'invalid_request'
      && body.error_description === 'requested grant type is not allowed for this client') {
      ctx.body = { ...body, error: 'unauthorized_client' };
    }
  });
  allowVerifiedClaimsArrays(provider);
  acceptEntraHints(provider, deps.entra);
  bindClientSecretVerification(provider, deps.clients);
  if (deps.clientAuth) guardClientAuthentication(provider, deps.clientAuth);
  return provider;
}
