import type { Adapter, AdapterPayload } from 'oidc-provider';
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

    async consume(id: string): Promise<void> {
      await payloads.consume(this.#model, id);
    }

    async destroy(id: string): Promise<void> {
      await payloads.destroy(this.#model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await payloads.revokeByGrantId(this.#model, grantId);
    }
  };
}

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
