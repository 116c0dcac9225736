import Provider, { errors, interactionPolicy, type Account, type KoaContextWithOIDC } from 'oidc-provider';
import { ENTRA_ACR, ENTRA_AMR, entraProfile, isEntraTenantId, type EntraHintVerifier } from './entra-hint.ts';

/** Where a client registered for Microsoft Entra's external authentication method keeps its bound users. */
export interface BrokerSubjects {
  findIdentity(clientId: string, subject: string): Promise<string | undefined>;
  bind(clientId: string, subject: string, identityId: string): Promise<void>;
}

export interface EntraEamDependencies {
  hints: EntraHintVerifier;
  subjects: BrokerSubjects;
}

/** Client metadata of the profile (`verid clients create --profile entra-eam`). */
export const ENTRA_CLIENT_METADATA = ['entra_tenant_id', 'entra_jwks_uri'] as const;

/** https, or http on the loopback interface (a test standing in for Entra). */
function isKeysUrl(value: unknown): boolean {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname));
}

export function validateEntraMetadata(key: string, value: unknown): void {
  if (value === undefined) return;
  if (key === 'entra_tenant_id' && !isEntraTenantId(value)) throw new errors.InvalidClientMetadata('entra_tenant_id must be the tenant ID (a GUID)');
  if (key === 'entra_jwks_uri' && !isKeysUrl(value)) throw new errors.InvalidClientMetadata('entra_jwks_uri must be an absolute https URL (http only on localhost)');
}

function profileOf(client: { metadata(): Record<string, unknown> } | undefined) {
  return client ? entraProfile(client.metadata()) : undefined;
}

/**
 * oidc-provider validates an `id_token_hint` as an ID token it issued itself and refuses any other.
 * For a client of the Entra EAM profile the hint is Entra's instead: it is checked against the
 * tenant's keys (never verid's), and a refusal says why, back to the redirect_uri (by the request's
 * response_mode). Every other client keeps oidc-provider's check unchanged (issue 7's binding).
 */
export function acceptEntraHints(provider: Provider, deps: EntraEamDependencies | undefined): void {
  const idToken = provider.IdToken as unknown as { validate(jwt: string, client: unknown): Promise<unknown> };
  const validate = idToken.validate.bind(idToken);
  idToken.validate = async (jwt, client) => {
    const typed = client as { clientId: string; metadata(): Record<string, unknown> };
    const profile = profileOf(typed);
    if (!profile) return validate(jwt, client);
    if (!deps) throw new errors.TemporarilyUnavailable('Microsoft Entra hints cannot be checked here');
    const result = await deps.hints.verify(jwt, typed.clientId, profile);
    if (!result.ok) {
      if (result.error === 'login_required') throw new errors.LoginRequired(result.description);
      if (result.error === 'temporarily_unavailable') throw new errors.TemporarilyUnavailable(result.description);
      throw new errors.InvalidRequest(result.description);
    }
    return { header: { alg: 'RS256' }, payload: { sub: result.subject.sub, tid: result.subject.tenantId } };
  };
}

/**
 * The login prompt's checks for the profile: a request without id_token_hint is refused (Entra
 * always sends one; without it nobody says whose factor this is), and every request verifies
 * again — an earlier verification in the same browser does not count as this sign-in's factor.
 */
export function entraEamChecks(): InstanceType<typeof interactionPolicy.Check>[] {
  const { Check } = interactionPolicy;
  return [
    new Check('entra_eam_hint', 'id_token_hint is required', (ctx) => {
      if (profileOf(ctx.oidc.client) && ctx.oidc.params?.id_token_hint === undefined) {
        throw new errors.InvalidRequest('id_token_hint is required: this client is a Microsoft Entra external authentication method');
      }
      return Check.NO_NEED_TO_PROMPT;
    }),
    new Check('entra_eam_every_time', 'the external authentication method verifies at every sign-in',
      (ctx) => (profileOf(ctx.oidc.client) && !ctx.oidc.result?.login ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT)),
  ];
}

/**
 * The account of an Entra EAM sign-in: its id is the hint's `sub` (so the ID token's `sub` is
 * Entra's, as Entra requires), set only by the interaction from a hint whose signature verified.
 * It resolves only for the client the user is bound at, through that binding; undefined when the
 * request's client is not of the profile (then the caller looks the id up as a verid identity).
 */
export async function entraAccount(
  ctx: KoaContextWithOIDC | undefined, sub: string, subjects: BrokerSubjects | undefined,
  claims: (identityId: string) => Promise<Account['claims'] | undefined>,
): Promise<Account | undefined | 'not-entra'> {
  const client = ctx?.oidc?.client;
  const profile = profileOf(client);
  if (!profile) return 'not-entra';
  const identityId = await subjects?.findIdentity(client!.clientId, `${profile.tenantId}:${sub}`);
  const found = identityId ? await claims(identityId) : undefined;
  return found ? { accountId: sub, claims: found } : undefined;
}

/** The `acr` and `amr` a finished verification is reported with for this client. */
export function loginMethods(metadata: Record<string, unknown> | undefined, standard: { acr: string; amr: string[] }): { acr: string; amr: string[] } {
  return metadata && entraProfile(metadata) ? { acr: ENTRA_ACR, amr: [ENTRA_AMR] } : standard;
}
