import type { Kysely } from 'kysely';
import type { DataCipher } from '../security/index.ts';
import type { Database } from './database-schema.ts';
import { readEpoch, type ReadCache } from './read-cache.ts';

export interface StoredPayload {
  payload: Record<string, unknown>;
  consumedAt: number | null;
}

type LookupColumn = 'id' | 'uid' | 'user_code';

interface Lookup {
  model: string;
  column: LookupColumn;
  /** The row keys the value may have (blind indexes under the current and previous master key). */
  keys: string[];
}

interface LookupRow {
  id: string;
  key: string;
  payload: string;
  consumed_at: number | null;
  expires_at: number | null;
  read_epoch: number | null;
}

/**
 * oidc-provider's short-lived artefacts (codes, tokens, sessions, interactions, grants), one table.
 * Nothing in it is usable as it stands: the row key and every lookup column are keyed hashes (an
 * access token, a code or a session id read from a dump is not the token), and the payload — which
 * holds the token's own id, login hints and claims requests — is encrypted, bound to its row.
 */
export class OidcPayloadRepository {
  readonly #db: Kysely<Database>;
  readonly #cipher: DataCipher;
  readonly #cache: ReadCache | undefined;
  #pending: Array<Lookup & { resolve(rows: LookupRow[]): void; reject(error: unknown): void }> = [];

  /**
   * `cache`: the OIDC endpoints' read cache (core.ts). Every lookup reads its counter; only grants
   * are kept (tokens, codes and sessions are read afresh every time: they are what revocation removes).
   */
  constructor(db: Kysely<Database>, cipher: DataCipher, cache?: ReadCache) {
    this.#db = db;
    this.#cipher = cipher;
    this.#cache = cache;
  }

  /** The keys a row may have: under the current master key, and the previous one during a rotation. */
  #keys(model: string, column: LookupColumn | 'grant_id', value: string): string[] {
    return this.#cipher.blindIndexes(value, `oidc:${model}:${column}`);
  }

  async upsert(model: string, id: string, payload: Record<string, unknown>, expiresAt: number | null): Promise<void> {
    const row = oidcPayloadRow(this.#cipher, model, id, payload);
    const values = { payload: row.payload, grant_id: row.grant_id, user_code: row.user_code, uid: row.uid, expires_at: expiresAt };
    const [, ...previousKeys] = this.#keys(model, 'id', id);
    const save = (db: Kysely<Database>) => db.insertInto('oidc_payloads').values({ model, id: row.id, consumed_at: null, ...values })
      .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(values)).execute();
    // One statement, except during a master-key rotation.
    if (previousKeys.length === 0) {
      await save(this.#db);
    } else {
      await this.#db.transaction().execute(async (tx) => {
        // The same artefact saved again after a key rotation replaces its row under the previous key.
        await tx.deleteFrom('oidc_payloads').where('model', '=', model).where('id', 'in', previousKeys).execute();
        await save(tx);
      });
    }
    if (model === 'Grant') this.#cache?.changed(`grant:${id}`);
  }

  async find(model: string, column: LookupColumn, value: string): Promise<StoredPayload | undefined> {
    const cacheKey = model === 'Grant' && column === 'id' ? `grant:${value}` : null;
    const cached = cacheKey ? this.#cache?.get<StoredPayload & { expiresAt: number | null }>(cacheKey) : undefined;
    if (cached) return live(cached);
    const keys = this.#keys(model, column, value);
    const rows = await this.#lookup({ model, column, keys });
    // Under the current key first: during a rotation an old row may still sit beside its rewrite.
    const row = rows.sort((a, b) => keys.indexOf(a.key) - keys.indexOf(b.key))[0];
    if (!row) return undefined;
    this.#cache?.observe(row.read_epoch);
    const stored = {
      payload: this.#cipher.decryptJson<Record<string, unknown>>(Buffer.from(row.payload, 'base64'), `oidc:${model}:${row.id}`),
      consumedAt: row.consumed_at,
      expiresAt: row.expires_at,
    };
    if (cacheKey) this.#cache?.set(cacheKey, stored, row.read_epoch);
    return live(stored);
  }

  /**
   * Lookups asked for in the same tick go to the database as one statement: oidc-provider looks an
   * introspected or revoked token up as an access token, client-credentials token and refresh token
   * at once (three round trips on PostgreSQL otherwise). Each caller gets the rows of its own model.
   */
  #lookup(lookup: Lookup): Promise<LookupRow[]> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ ...lookup, resolve, reject });
      if (this.#pending.length === 1) queueMicrotask(() => this.#runLookups());
    });
  }

  async #runLookups(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    for (const column of new Set(batch.map((lookup) => lookup.column))) {
      const lookups = batch.filter((lookup) => lookup.column === column);
      try {
        const rows = await this.#db.selectFrom('oidc_payloads').select(['model', 'id', column, 'payload', 'consumed_at', 'expires_at']).select(readEpoch)
          .where('model', 'in', [...new Set(lookups.map((lookup) => lookup.model))])
          .where(column, 'in', [...new Set(lookups.flatMap((lookup) => lookup.keys))]).execute();
        for (const lookup of lookups) {
          lookup.resolve(rows.filter((row) => row.model === lookup.model && lookup.keys.includes(row[column] as string))
            .map((row) => ({ ...row, key: row[column] as string })));
        }
      } catch (error) {
        for (const lookup of lookups) lookup.reject(error);
      }
    }
  }

  /** Marks a single-use artefact used; false when it already was (another request used it first). */
  async consume(model: string, id: string): Promise<boolean> {
    const result = await this.#db.updateTable('oidc_payloads').set({ consumed_at: Date.now() })
      .where('model', '=', model).where('id', 'in', this.#keys(model, 'id', id)).where('consumed_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async destroy(model: string, id: string): Promise<void> {
    await this.#db.deleteFrom('oidc_payloads').where('model', '=', model).where('id', 'in', this.#keys(model, 'id', id)).execute();
    if (model === 'Grant') this.#cache?.changed(`grant:${id}`);
  }

  async revokeByGrantId(model: string, grantId: string): Promise<void> {
    await this.#db.deleteFrom('oidc_payloads').where('model', '=', model).where('grant_id', 'in', this.#keys(model, 'grant_id', grantId)).execute();
  }

  /** Removes expired rows; returns how many. */
  async purgeExpired(now = Date.now()): Promise<number> {
    const result = await this.#db.deleteFrom('oidc_payloads').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function live({ payload, consumedAt, expiresAt }: StoredPayload & { expiresAt: number | null }): StoredPayload | undefined {
  return expiresAt !== null && expiresAt <= Date.now() ? undefined : { payload, consumedAt };
}

/**
 * A row's key columns and encrypted payload under the current master key. The row key and each
 * lookup column are keyed hashes of the artefact's own identifiers (oidc-provider saves every model
 * under its `jti`, which its payload carries), so `verid rekey` can derive them again.
 */
export function oidcPayloadRow(cipher: DataCipher, model: string, id: string, payload: Record<string, unknown>) {
  const key = (column: LookupColumn | 'grant_id', value: unknown) => (typeof value === 'string' ? cipher.blindIndex(value, `oidc:${model}:${column}`) : null);
  const rowId = key('id', id)!;
  return {
    id: rowId,
    payload: cipher.encryptJson(payload, `oidc:${model}:${rowId}`).toString('base64'),
    grant_id: key('grant_id', payload.grantId),
    user_code: key('user_code', payload.userCode),
    uid: key('uid', payload.uid),
  };
}
