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

  #key(model: string, column: LookupColumn | 'grant_id', value: string): string {
    return this.#cipher.blindIndex(value, `oidc:${model}:${column}`);
  }

  async upsert(model: string, id: string, payload: Record<string, unknown>, expiresAt: number | null): Promise<void> {
    const key = this.#key(model, 'id', id);
    const row = {
      payload: this.#cipher.encryptJson(payload, `oidc:${model}:${key}`).toString('base64'),
      grant_id: typeof payload.grantId === 'string' ? this.#key(model, 'grant_id', payload.grantId) : null,
      user_code: typeof payload.userCode === 'string' ? this.#key(model, 'user_code', payload.userCode) : null,
      uid: typeof payload.uid === 'string' ? this.#key(model, 'uid', payload.uid) : null,
      expires_at: expiresAt,
    };
    await this.#db.insertInto('oidc_payloads').values({ model, id: key, consumed_at: null, ...row })
      .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(row)).execute();
  }

  async find(model: string, column: LookupColumn, value: string): Promise<StoredPayload | undefined> {
    const row = await this.#db.selectFrom('oidc_payloads').select(['id', 'payload', 'consumed_at', 'expires_at'])
      .where('model', '=', model).where(column, '=', this.#key(model, column, value)).executeTakeFirst();
    if (!row || (row.expires_at !== null && row.expires_at <= Date.now())) return undefined;
    return {
      payload: this.#cipher.decryptJson(Buffer.from(row.payload, 'base64'), `oidc:${model}:${row.id}`),
      consumedAt: row.consumed_at,
    };
  }

  async consume(model: string, id: string): Promise<void> {
    await this.#db.updateTable('oidc_payloads').set({ consumed_at: Date.now() })
      .where('model', '=', model).where('id', '=', this.#key(model, 'id', id)).execute();
  }

  async destroy(model: string, id: string): Promise<void> {
    await this.#db.deleteFrom('oidc_payloads').where('model', '=', model).where('id', '=', this.#key(model, 'id', id)).execute();
  }

  async revokeByGrantId(model: string, grantId: string): Promise<void> {
    await this.#db.deleteFrom('oidc_payloads').where('model', '=', model).where('grant_id', '=', this.#key(model, 'grant_id', grantId)).execute();
  }

  /** Removes expired rows; returns how many. */
  async purgeExpired(now = Date.now()): Promise<number> {
    const result = await this.#db.deleteFrom('oidc_payloads').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
