import type { Kysely } from 'kysely';
import type { DataCipher } from '../security/index.ts';
import type { Database } from './database-schema.ts';

export interface StoredPayload {
  payload: Record<string, unknown>;
  consumedAt: number | null;
}

type LookupColumn = 'id' | 'uid' | 'user_code';

/**
 * oidc-provider's short-lived artefacts (codes, tokens, sessions, interactions, grants), one table.
 * Nothing in it is usable as it stands: the row key and every lookup column are keyed hashes (an
 * access token, a code or a session id read from a dump is not the token), and the payload — which
 * holds the token's own id, login hints and claims requests — is encrypted, bound to its row.
 */
export class OidcPayloadRepository {
  readonly #db: Kysely<Database>;
  readonly #cipher: DataCipher;

  constructor(db: Kysely<Database>, cipher: DataCipher) {
    this.#db = db;
    this.#cipher = cipher;
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
      return;
    }
    await this.#db.transaction().execute(async (tx) => {
      // The same artefact saved again after a key rotation replaces its row under the previous key.
      await tx.deleteFrom('oidc_payloads').where('model', '=', model).where('id', 'in', previousKeys).execute();
      await save(tx);
    });
  }

  async find(model: string, column: LookupColumn, value: string): Promise<StoredPayload | undefined> {
    const keys = this.#keys(model, column, value);
    const rows = await this.#db.selectFrom('oidc_payloads').select(['id', column, 'payload', 'consumed_at', 'expires_at'])
      .where('model', '=', model).where(column, 'in', keys).execute();
    // Under the current key first: during a rotation an old row may still sit beside its rewrite.
    const row = rows.sort((a, b) => keys.indexOf(a[column] as string) - keys.indexOf(b[column] as string))[0];
    if (!row || (row.expires_at !== null && row.expires_at <= Date.now())) return undefined;
    return {
      payload: this.#cipher.decryptJson(Buffer.from(row.payload, 'base64'), `oidc:${model}:${row.id}`),
      consumedAt: row.consumed_at,
    };
  }

  async consume(model: string, id: string): Promise<void> {
    await this.#db.updateTable('oidc_payloads').set({ consumed_at: Date.now() })
      .where('model', '=', model).where('id', 'in', this.#keys(model, 'id', id)).execute();
  }

  async destroy(model: string, id: string): Promise<void> {
    await this.#db.deleteFrom('oidc_payloads').where('model', '=', model).where('id', 'in', this.#keys(model, 'id', id)).execute();
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
