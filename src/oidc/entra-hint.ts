import { compactVerify, createRemoteJWKSet, errors as joseErrors } from 'jose';

/** The `acr` Microsoft Entra asks an external authentication method for (and the only one it accepts). */
export const ENTRA_ACR = 'possessionorinherence';
/** The one `amr` value (RFC 8176) verid answers an external authentication method with: a face matched. */
export const ENTRA_AMR = 'face';

/** A client registered with `--profile entra-eam`: its Entra tenant and where that tenant's signing keys are. */
export interface EntraProfile {
  tenantId: string;
  jwksUri: string;
}

/** Entra tenant ids are GUIDs. */
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isEntraTenantId(value: unknown): value is string {
  return typeof value === 'string' && TENANT_ID.test(value);
}

/** Entra's published keys for a tenant (the `jwks_uri` of its v2.0 discovery document). */
export function entraJwksUri(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`;
}

export function entraIssuer(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/v2.0`;
}

/** The client's Entra EAM profile, from its metadata (`entra_tenant_id`, optional `entra_jwks_uri`); undefined for other clients. */
export function entraProfile(metadata: Record<string, unknown>): EntraProfile | undefined {
  const tenantId = metadata.entra_tenant_id;
  if (!isEntraTenantId(tenantId)) return undefined;
  const jwksUri = typeof metadata.entra_jwks_uri === 'string' ? metadata.entra_jwks_uri : entraJwksUri(tenantId);
  return { tenantId, jwksUri };
}

/** The Entra user a verified hint names. `key` (`{tid}:{sub}`) is what binds them to a verid identity. */
export interface EntraSubject {
  tenantId: string;
  sub: string;
  /** The user's display name in Entra, matched against the document at the first verification (PII). */
  name: string;
  key: string;
}

export type EntraHintResult =
  | { ok: true; subject: EntraSubject }
  /** invalid_request: not a hint of this tenant for this client; login_required: too old, sign in to Entra again; temporarily_unavailable: Entra's keys could not be read. */
  | { ok: false; error: 'invalid_request' | 'login_required' | 'temporarily_unavailable'; description: string };

type KeyResolver = ReturnType<typeof createRemoteJWKSet>;

/**
 * Checks the id_token_hint Microsoft Entra sends an external authentication method: signed (RS256)
 * by a key of Entra's JWKS — never verid's own —, issued by the configured tenant (`iss` and `tid`)
 * for this client (`aud`), and issued within `maxAgeSeconds`. Entra issues the hint already expired
 * by design, so `exp` is not checked; `iat` is. One key cache per JWKS URL: jose refetches on an
 * unknown `kid` (at most every 30 s) and after 10 minutes.
 */
export class EntraHintVerifier {
  readonly #keys = new Map<string, KeyResolver>();
  readonly #maxAgeSeconds: number;
  readonly #now: () => number;

  constructor(options: { maxAgeSeconds: number; now?: () => number }) {
    this.#maxAgeSeconds = options.maxAgeSeconds;
    this.#now = options.now ?? Date.now;
  }

  #resolver(jwksUri: string): KeyResolver {
    let resolver = this.#keys.get(jwksUri);
    if (!resolver) {
      resolver = createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5_000 });
      this.#keys.set(jwksUri, resolver);
    }
    return resolver;
  }

  /**
   * `fresh: false` skips the issue-time window: for a hint already checked when its authorization
   * request arrived (the interaction holds the request's parameters server-side).
   */
  async verify(hint: string, clientId: string, profile: EntraProfile, options: { fresh?: boolean } = {}): Promise<EntraHintResult> {
    const invalid = (description: string): EntraHintResult => ({ ok: false, error: 'invalid_request', description });
    let payload: Record<string, unknown>;
    try {
      const verified = await compactVerify(hint, this.#resolver(profile.jwksUri), { algorithms: ['RS256'] });
      payload = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof joseErrors.JWKSTimeout || (error instanceof Error && error.name === 'TypeError')
        || (error instanceof joseErrors.JOSEError && error.code === 'ERR_JOSE_GENERIC')) {
        return { ok: false, error: 'temporarily_unavailable', description: 'the signing keys of Microsoft Entra could not be read; try again' };
      }
      return invalid('id_token_hint is not signed by a key of Microsoft Entra');
    }
    if (payload.iss !== entraIssuer(profile.tenantId) || payload.tid !== profile.tenantId) {
      return invalid('id_token_hint was issued by another Microsoft Entra tenant than the one this client is registered for');
    }
    if (payload.aud !== clientId) return invalid('id_token_hint was issued for another application (aud is not this client_id)');
    if (typeof payload.sub !== 'string' || payload.sub === '') return invalid('id_token_hint has no sub');
    if (typeof payload.name !== 'string' || payload.name.trim() === '') return invalid('id_token_hint has no name to match the identity document against');
    if (typeof payload.iat !== 'number') return invalid('id_token_hint has no iat');
    const age = this.#now() / 1000 - payload.iat;
    // A minute of clock skew either way.
    if (options.fresh !== false && (age > this.#maxAgeSeconds || age < -60)) {
      return { ok: false, error: 'login_required', description: `id_token_hint was issued more than ${this.#maxAgeSeconds} seconds ago; sign in to Microsoft Entra again` };
    }
    return { ok: true, subject: { tenantId: profile.tenantId, sub: payload.sub, name: payload.name, key: `${profile.tenantId}:${payload.sub}` } };
  }
}
