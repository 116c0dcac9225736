import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { ClientRepository, OidcPayloadRepository } from '../storage/index.ts';

/**
 * oidc-provider's storage over verid's database (both dialects). Every model shares one table;
 * the `Client` model reads verid's client registry instead. A client secret is never stored in
 * clear: oidc-provider sees the secret's hash as `client_secret`, and `compareClientSecret` is
 * bound to verify against the hash (see verify-client-secret.ts). Only client_secret_jwt clients
 * get the real secret, because HMAC verification needs it.
 */
export function createStorageAdapter(payloads: OidcPayloadRepository, clients: ClientRepository): new (name: string) => Adapter {
  return class VeridStorageAdapter implements Adapter {
    readonly #model: string;

    constructor(name: string) {
      this.#model = name;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      await payloads.upsert(this.#model, id, payload as Record<string, unknown>, expiresIn ? Date.now() + expiresIn * 1000 : null);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.#model === 'Client') return findClient(clients, id);
      return toPayload(await payloads.find(this.#model, 'id', id));
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return toPayload(await payloads.find(this.#model, 'user_code', userCode));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return toPayload(await payloads.find(this.#model, 'uid', uid));
    }

    /**
     * oidc-provider reads a code or refresh token, checks it is unused, and marks it used later in
     * the same request: two requests presenting it at once would both pass the check. The mark is
     * a compare-and-set, and the request that loses it is treated as what it is — a reuse — so the
     * grant and everything issued under it are revoked (RFC 6749 §4.1.2, RFC 9700 §4.14.2).
     */
    async consume(id: string): Promise<void> {
      if (await payloads.consume(this.#model, id)) return;
      const grantId = (await payloads.find(this.#model, 'id', id))?.payload.grantId;
      if (typeof grantId === 'string') {
        await Promise.all(GRANT_ARTEFACTS.map((model) => payloads.revokeByGrantId(model, grantId)));
        await payloads.destroy('Grant', grantId);
      }
      throw new errors.InvalidGrant(`${this.#model} was already used`);
    }

    async destroy(id: string): Promise<void> {
      await payloads.destroy(this.#model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await payloads.revokeByGrantId(this.#model, grantId);
    }
  };
}

/** Every model oidc-provider issues under a grant (what its own revocation of a grant removes). */
const GRANT_ARTEFACTS = ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'DeviceCode', 'BackchannelAuthenticationRequest'];

function toPayload(stored: { payload: Record<string, unknown>; consumedAt: number | null } | undefined): AdapterPayload | undefined {
  if (!stored) return undefined;
  const payload = stored.payload as AdapterPayload;
  return stored.consumedAt ? { ...payload, consumed: Math.floor(stored.consumedAt / 1000) } : payload;
}

async function findClient(clients: ClientRepository, clientId: string): Promise<AdapterPayload | undefined> {
  const record = await clients.find(clientId);
  if (!record) return undefined;
  const metadata: Record<string, unknown> = { ...record.metadata, client_id: record.clientId };
  if (metadata.token_endpoint_auth_method === 'client_secret_jwt') {
    metadata.client_secret = await clients.findHmacSecret(clientId);
  } else if (record.secretHash) {
    metadata.client_secret = record.secretHash;
  }
  return metadata as AdapterPayload;
}
