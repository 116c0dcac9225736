import type { Config } from '../config/index.ts';
import { createProvider } from '../oidc/create-provider.ts';
import { ensureSigningKeys, providerJwks } from '../oidc/signing-keys.ts';
import { DataCipher } from '../security/index.ts';
import {
  ClientRepository, IdentityRepository, migrateToLatest, OidcPayloadRepository, openDatabase, SigningKeyRepository, type DatabaseHandle,
} from '../storage/index.ts';

export interface CliContext {
  database: DatabaseHandle;
  clients: ClientRepository;
  keys: SigningKeyRepository;
  /** Validates client metadata exactly as the running provider will. */
  validateClient(metadata: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function openCliContext(config: Config): Promise<CliContext> {
  const database = openDatabase(config);
  await migrateToLatest(database.db, database.dialect);
  const cipher = new DataCipher(config.masterKey, config.masterKeyPrevious);
  const clients = new ClientRepository(database.db, cipher);
  const keys = new SigningKeyRepository(database.db, cipher);
  await ensureSigningKeys(keys);
  return {
    database,
    clients,
    keys,
    async validateClient(metadata) {
      const provider = createProvider({
        config, clients, payloads: new OidcPayloadRepository(database.db, cipher), identities: new IdentityRepository(database.db, cipher),
        jwks: providerJwks(await keys.list()),
      });
      try {
        await provider.Client.validate(metadata as never);
      } catch (error) {
        const e = error as { error_description?: string; message: string };
        throw new Error(`invalid client metadata: ${e.error_description ?? e.message}`);
      }
    },
    close: () => database.close(),
  };
}
