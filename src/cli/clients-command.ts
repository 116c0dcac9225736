import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Config } from '../config/index.ts';
import { apiKeyOf, clientKind, registerClient, rotateClientSecret, TOKEN_ENDPOINT_AUTH_METHODS, type TokenEndpointAuthMethod } from '../oidc/client-registration.ts';
import type { ClientRecord } from '../storage/index.ts';
import { openCliContext } from './cli-context.ts';
import { print, type Output } from './output.ts';

function describe(record: ClientRecord) {
  return {
    client_id: record.clientId,
    kind: clientKind(record),
    client_name: record.name,
    environment: record.environment,
    redirect_uris: record.metadata.redirect_uris,
    scope: record.metadata.scope,
    token_endpoint_auth_method: record.metadata.token_endpoint_auth_method,
    response_types: record.metadata.response_types,
    id_token_signed_response_alg: record.metadata.id_token_signed_response_alg,
    pkce_required: record.metadata.pkce_required !== false,
    ...(record.metadata.entra_tenant_id ? { profile: 'entra-eam', entra_tenant_id: record.metadata.entra_tenant_id, entra_jwks_uri: record.metadata.entra_jwks_uri ?? null } : {}),
    created_at: new Date(record.createdAt).toISOString(),
    previous_secrets_valid_until: record.previousSecrets.filter((p) => p.expiresAt > Date.now()).map((p) => new Date(p.expiresAt).toISOString()),
  };
}

/** API clients also get the secret as one `x-api-key` value (Omni style). */
function apiKeyField(record: ClientRecord, secret: string | null): { api_key?: string } {
  return clientKind(record) === 'api' && secret ? { api_key: apiKeyOf(record.clientId, secret) } : {};
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function clientsCommand(program: Command, config: () => Config, output: () => Output): void {
  const clients = program.command('clients').description('Register and manage OpenID Connect clients (relying parties)');

  clients.command('create')
    .description('Register a client; prints its secret once')
    .requiredOption('--name <name>', 'display name of the application')
    .option('--kind <kind>', 'oidc (a relying party that logs people in) or api (a server: /omni/start, session API, webhooks)', 'oidc')
    .option('--ciba', 'api clients: may also use OpenID CIBA (poll mode) with an employee as login_hint')
    .option('--redirect-uri <uri>', 'exact redirect URI (repeatable; oidc clients)', collect, [])
    .option('--post-logout-redirect-uri <uri>', 'exact post-logout redirect URI (repeatable)', collect, [])
    .option('--scope <scopes>', 'allowed scopes, space-separated (default: all of the kind\'s: oidc: openid profile email offline_access identity_assurance; api: omni:start sessions:read sessions:close sessions:delete)')
    .option('--environment <env>', 'demo or production', 'production')
    .option('--auth-method <method>', `token endpoint authentication: ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}`, 'client_secret_basic')
    .option('--response-type <type>', 'oidc clients: code (default) and/or id_token (repeatable; Entra external authentication methods use id_token)', collect, [])
    .option('--id-token-alg <alg>', 'ID token signing algorithm: RS256 or ES256', 'RS256')
    .option('--pkce <mode>', 'required (default) or optional — a downgrade, only for clients that cannot send PKCE (Entra External ID, Azure AD B2C)', 'required')
    .option('--backchannel-logout-uri <uri>', 'OpenID Back-Channel Logout endpoint of the client')
    .option('--profile <profile>', 'entra-eam: a Microsoft Entra external authentication method (id_token by form_post, Entra\'s id_token_hint, RS256; redirect URI defaults to Entra\'s)')
    .option('--entra-tenant <id>', 'entra-eam: the Entra tenant ID (GUID) whose id_token_hint is accepted')
    .option('--entra-jwks-uri <url>', 'entra-eam: where the tenant\'s signing keys are (default https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys)')
    .option('--jwks-file <file>', 'public JWKS file (private_key_jwt)')
    .option('--jwks-uri <uri>', 'public JWKS URL (private_key_jwt)')
    .action(async (opts) => {
      if (!['demo', 'production'].includes(opts.environment)) throw new Error('--environment must be demo or production');
      if (!['oidc', 'api'].includes(opts.kind)) throw new Error('--kind must be oidc or api');
      if (!['RS256', 'ES256'].includes(opts.idTokenAlg)) throw new Error('--id-token-alg must be RS256 or ES256');
      if (!['required', 'optional'].includes(opts.pkce)) throw new Error('--pkce must be required or optional');
      if ((opts.responseType as string[]).some((t) => !['code', 'id_token'].includes(t))) throw new Error('--response-type must be code or id_token');
      if (!(TOKEN_ENDPOINT_AUTH_METHODS as readonly string[]).includes(opts.authMethod)) {
        throw new Error(`--auth-method must be one of ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}`);
      }
      const ctx = await openCliContext(config());
      try {
        const jwks = opts.jwksFile ? JSON.parse(await readFile(opts.jwksFile, 'utf8')) : undefined;
        const result = await registerClient(ctx.clients, {
          kind: opts.kind,
          ciba: Boolean(opts.ciba),
          ...((opts.responseType as string[]).length > 0 ? { responseTypes: opts.responseType } : {}),
          ...(opts.kind === 'oidc' ? { idTokenAlg: opts.idTokenAlg, pkceRequired: opts.pkce !== 'optional' } : {}),
          ...(opts.backchannelLogoutUri ? { backchannelLogoutUri: opts.backchannelLogoutUri } : {}),
          ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
          ...(opts.entraTenant !== undefined ? { entraTenantId: opts.entraTenant } : {}),
          ...(opts.entraJwksUri !== undefined ? { entraJwksUri: opts.entraJwksUri } : {}),
          name: opts.name,
          redirectUris: opts.redirectUri,
          postLogoutRedirectUris: opts.postLogoutRedirectUri,
          ...(opts.scope !== undefined ? { scopes: String(opts.scope).split(/\s+/).filter(Boolean) } : {}),
          environment: opts.environment,
          tokenEndpointAuthMethod: opts.authMethod as TokenEndpointAuthMethod,
          jwks,
          jwksUri: opts.jwksUri,
        }, (metadata) => ctx.validateClient(metadata));
        print(output(), { ...describe(result.record), client_secret: result.clientSecret, ...apiKeyField(result.record, result.clientSecret) },
          result.clientSecret ? 'Store the client_secret now: it is not shown again.' : undefined);
      } finally {
        await ctx.close();
      }
    });

  clients.command('list').description('List registered clients (never their secrets)').action(async () => {
    const ctx = await openCliContext(config());
    try {
      print(output(), (await ctx.clients.list()).map(describe));
    } finally {
      await ctx.close();
    }
  });

  clients.command('rotate-secret <clientId>')
    .description('Issue a new secret; the previous one keeps working for VERID_CLIENT_SECRET_GRACE_SECONDS')
    .action(async (clientId: string) => {
      const ctx = await openCliContext(config());
      try {
        const secret = await rotateClientSecret(ctx.clients, clientId, config().clientSecretGraceSeconds);
        const record = await ctx.clients.find(clientId);
        print(output(), { ...(record ? describe(record) : { client_id: clientId }), client_secret: secret, ...(record ? apiKeyField(record, secret) : {}) },
          'Store the new client_secret now: it is not shown again.');
      } finally {
        await ctx.close();
      }
    });

  clients.command('delete <clientId>').description('Delete a client').action(async (clientId: string) => {
    const ctx = await openCliContext(config());
    try {
      if (!(await ctx.clients.delete(clientId))) throw new Error(`no client ${clientId}`);
      print(output(), { client_id: clientId, deleted: true });
    } finally {
      await ctx.close();
    }
  });
}
