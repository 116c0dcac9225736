import type { Kysely, Selectable } from 'kysely';
import type { DataCipher } from '../security/index.ts';
import type { Database, OidcClientTable } from './database-schema.ts';
import { readEpoch, type ReadCache } from './read-cache.ts';

export interface ClientRecord {
  clientId: string;
  name: string;
  environment: 'demo' | 'production';
  /** oidc-provider client metadata (snake_case, as registered), without secrets. */
  metadata: Record<string, unknown>;
  secretHash: string | null;
  /** Rotated-out secrets still inside their grace period, newest first. */
  previousSecrets: PreviousSecret[];
  createdAt: number;
  updatedAt: number;
}

export interface PreviousSecret {
  hash: string;
  expiresAt: number;
}

/** The list column, plus the single previous secret rows written before it existed. */
function previousSecretsOf(row: Pick<Selectable<OidcClientTable>, 'previous_secrets' | 'previous_secret_hash' | 'previous_secret_expires_at'>): PreviousSecret[] {
  if (row.previous_secrets) return JSON.parse(row.previous_secrets) as PreviousSecret[];
  return row.previous_secret_hash && row.previous_secret_expires_at !== null
    ? [{ hash: row.previous_secret_hash, expiresAt: row.previous_secret_expires_at }] : [];
}

function toRecord(row: Selectable<OidcClientTable>): ClientRecord {
  return {
    clientId: row.client_id,
    name: row.name,
    environment: row.environment as ClientRecord['environment'],
    metadata: JSON.parse(row.metadata),
    secretHash: row.secret_hash,
    previousSecrets: previousSecretsOf(row),
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
  readonly #cache: ReadCache | undefined;

  /** `cache`: the OIDC endpoints' read cache (core.ts); the CLI reads without one. */
  constructor(db: Kysely<Database>, cipher: DataCipher, cache?: ReadCache) {
    this.#db = db;
    this.#cipher = cipher;
    this.#cache = cache;
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
      previous_secrets: null,
      created_at: now,
      updated_at: now,
    }).execute();
  }

  async find(clientId: string): Promise<ClientRecord | undefined> {
    const key = `client:${clientId}`;
    const cached = this.#cache?.get<ClientRecord>(key);
    if (cached) return cached;
    const row = await this.#db.selectFrom('oidc_clients').selectAll().select(readEpoch).where('client_id', '=', clientId).executeTakeFirst();
    if (!row) return undefined;
    const record = toRecord(row);
    this.#cache?.observe(row.read_epoch);
    this.#cache?.set(key, record, row.read_epoch);
    return record;
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

  /**
   * The new secret replaces the current one, which joins the previous secrets until
   * `previousValidUntil`; each earlier one keeps its own expiry, so two rotations in a row lock
   * nobody out before their grace period ends. Compare-and-set on the current hash: of two
   * concurrent rotations one wins, the other is told to retry (false).
   */
  async rotateSecret(clientId: string, secretHash: string, secretForHmac: string | null, previousValidUntil: number, now = Date.now()): Promise<boolean> {
    const row = await this.#db.selectFrom('oidc_clients').select(['secret_hash', 'previous_secrets', 'previous_secret_hash', 'previous_secret_expires_at'])
      .where('client_id', '=', clientId).executeTakeFirst();
    if (!row) return false;
    const kept = previousSecretsOf(row).filter((p) => p.expiresAt > now);
    const previous = row.secret_hash ? [{ hash: row.secret_hash, expiresAt: previousValidUntil }, ...kept] : kept;
    const result = await this.#db.updateTable('oidc_clients').set({
      secret_hash: secretHash,
      secret_encrypted: secretForHmac ? this.#cipher.encrypt(Buffer.from(secretForHmac), `client:${clientId}:secret`) : null,
      previous_secrets: JSON.stringify(previous),
      previous_secret_hash: null,
      previous_secret_expires_at: null,
      updated_at: now,
    }).where('client_id', '=', clientId)
      .where((eb) => row.secret_hash === null ? eb('secret_hash', 'is', null) : eb('secret_hash', '=', row.secret_hash))
      .executeTakeFirst();
    this.#cache?.changed(`client:${clientId}`);
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(clientId: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('oidc_clients').where('client_id', '=', clientId).executeTakeFirst();
    this.#cache?.changed(`client:${clientId}`);
    return Number(result.numDeletedRows) === 1;
  }
}
