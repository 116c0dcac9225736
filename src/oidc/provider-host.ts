import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { ReadCache, SigningKeyRecord, SigningKeyRepository } from '../storage/index.ts';
import { providerJwks } from './signing-keys.ts';

/**
 * Holds the running oidc-provider and swaps it when the signing key set changes in the database
 * (after `verid keys rotate`), so every instance picks up a rotation without a restart. All
 * provider state lives in the database, so a new instance continues where the old one was.
 */
export class ProviderHost {
  #provider: Provider;
  #callback: (req: IncomingMessage, res: ServerResponse) => void;
  #fingerprint: string;
  readonly #build: (jwks: { keys: object[] }) => Provider;
  readonly #keys: SigningKeyRepository;
  readonly #readCache: ReadCache | undefined;

  private constructor(keys: SigningKeyRepository, build: (jwks: { keys: object[] }) => Provider, records: SigningKeyRecord[], readCache?: ReadCache) {
    this.#keys = keys;
    this.#readCache = readCache;
    this.#build = build;
    this.#fingerprint = fingerprint(records);
    this.#provider = build(providerJwks(records));
    this.#callback = this.#provider.callback();
  }

  /** `readCache`: each request to the provider is one of its scopes (storage/read-cache.ts). */
  static async create(keys: SigningKeyRepository, build: (jwks: { keys: object[] }) => Provider, readCache?: ReadCache): Promise<ProviderHost> {
    return new ProviderHost(keys, build, await keys.list(), readCache);
  }

  get provider(): Provider {
    return this.#provider;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.#readCache) this.#readCache.run(() => this.#callback(req, res));
    else this.#callback(req, res);
  }

  /** Re-reads the key set; rebuilds the provider when it changed. Returns whether it did. */
  async refresh(): Promise<boolean> {
    const records = await this.#keys.list();
    const next = fingerprint(records);
    if (next === this.#fingerprint) return false;
    this.#provider = this.#build(providerJwks(records));
    this.#callback = this.#provider.callback();
    this.#fingerprint = next;
    return true;
  }
}

function fingerprint(records: SigningKeyRecord[]): string {
  const now = Date.now();
  return records.filter((k) => k.state !== 'retired' || (k.removeAfter ?? 0) > now)
    .map((k) => `${k.kid}:${k.state}`).sort().join(',');
}
