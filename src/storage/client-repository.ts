import type { Kysely, Selectable } from 'kysely';
import type { DataCipher } from '../security/index.ts';
import type { Database, OidcClientTable } from './database-schema.ts';

export interface ClientRecord {
  clientId: string;
  name: string;
  environment: 'demo' | 'production';
  /** oidc-provider client metadata (snake_case, as registered), without secrets. */
  metadata: Record<string, unknown>;
  secretHash: string | null;
  previousSecretHash: string | null;
  previousSecretExpiresAt: number | null;
  createdAt: number;
  updatedAt: number;
}

function toRecord(row: Selectable<OidcClientTable>): ClientRecord {
  return {
    clientId: row.client_id,
    name: row.name,
    environment: row.environment as ClientRecord['environment'],
    metadata: JSON.parse(row.metadata),
    secretHash: row.secret_hash,
    previousSecretHash: row.previous_secret_hash,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface NewClient {
  clientId: string;
  name: string;
  environment: 'demo' | 'production';
  metadata: Record<string, unknown>;
  secretHash: string | null;
  /** Only for `client_secret_jwt`, whose HMAC verification needs the secret itself. */
  secretForHmac: string | null;
}

/** Registered OAuth clients. Secrets are stored as hashes (HMAC clients: also encrypted, see docs/adr). */
export class ClientRepository {
  readonly #db: Kysely<Database>;
  readonly #cipher: DataCipher;

  constructor(db: Kysely<Database>, cipher: DataCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async create(client: NewClient): Promise<void> {
    const now = Date.now();
    await this.#db.insertInto('oidc_clients').values({
      client_id: client.clientId,
      name: client.name,
      environment: client.environment,
      metadata: JSON.stringify(client.metadata),
      secret_hash: client.secretHash,
      secret_encrypted: client.secretForHmac ? this.#cipher.encrypt(Buffer.from(client.secretForHmac), `client:${client.clientId}:secret`) : null,
      previous_secret_hash: null,
      previous_secret_expires_at: null,
      created_at: now,
      updated_at: now,
    }).execute();
  }

  async find(clientId: string): Promise<ClientRecord | undefined> {
    const row = await this.#db.selectFrom('oidc_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** The secret itself, for `client_secret_jwt` clients only. */
  async findHmacSecret(clientId: string): Promise<string | null> {
    const row = await this.#db.selectFrom('oidc_clients').select('secret_encrypted').where('client_id', '=', clientId).executeTakeFirst();
    if (!row?.secret_encrypted) return null;
    return this.#cipher.decrypt(row.secret_encrypted, `client:${clientId}:secret`).toString('utf8');
  }

  async list(): Promise<ClientRecord[]> {
    const rows = await this.#db.selectFrom('oidc_clients').selectAll().orderBy('created_at').orderBy('client_id').execute();
    return rows.map(toRecord);
  }

  async rotateSecret(clientId: string, secretHash: string, secretForHmac: string | null, previousValidUntil: number): Promise<boolean> {
    return this.#db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('oidc_clients').select('secret_hash').where('client_id', '=', clientId).executeTakeFirst();
      if (!row) return false;
      await tx.updateTable('oidc_clients').set({
        secret_hash: secretHash,
        secret_encrypted: secretForHmac ? this.#cipher.encrypt(Buffer.from(secretForHmac), `client:${clientId}:secret`) : null,
        previous_secret_hash: row.secret_hash,
        previous_secret_expires_at: previousValidUntil,
        updated_at: Date.now(),
      }).where('client_id', '=', clientId).execute();
      return true;
    });
  }

  async delete(clientId: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('oidc_clients').where('client_id', '=', clientId).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
