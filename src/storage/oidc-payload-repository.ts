import type { Kysely } from 'kysely';
import type { Database } from './database-schema.ts';

export interface StoredPayload {
  payload: Record<string, unknown>;
  consumedAt: number | null;
}

/** oidc-provider's short-lived artefacts (codes, tokens, sessions, interactions, grants), one table. */
export class OidcPayloadRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async upsert(model: string, id: string, payload: Record<string, unknown>, expiresAt: number | null): Promise<void> {
    const row = {
      payload: JSON.stringify(payload),
      grant_id: typeof payload.grantId === 'string' ? payload.grantId : null,
      user_code: typeof payload.userCode === 'string' ? payload.userCode : null,
      uid: typeof payload.uid === 'string' ? payload.uid : null,
      expires_at: expiresAt,
    };
    await this.#db.insertInto('oidc_payloads').values({ model, id, consumed_at: null, ...row })
      .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(row)).execute();
  }

  async find(model: string, column: 'id' | 'uid' | 'user_code', value: string): Promise<StoredPayload | undefined> {
    const row = await this.#db.selectFrom('oidc_payloads').select(['payload', 'consumed_at', 'expires_at'])
      .where('model', '=', model).where(column, '=', value).executeTakeFirst();
    if (!row || (row.expires_at !== null && row.expires_at <= Date.now())) return undefined;
    return { payload: JSON.parse(row.payload), consumedAt: row.consumed_at };
  }

  async consume(model: string, id: string): Promise<void> {
    await this.#db.updateTable('oidc_payloads').set({ consumed_at: Date.now() }).where('model', '=', model).where('id', '=', id).execute();
  }

  async destroy(model: string, id: string): Promise<void> {
    await this.#db.deleteFrom('oidc_payloads').where('model', '=', model).where('id', '=', id).execute();
  }

  async revokeByGrantId(model: string, grantId: string): Promise<void> {
    await this.#db.deleteFrom('oidc_payloads').where('model', '=', model).where('grant_id', '=', grantId).execute();
  }

  /** Removes expired rows; returns how many. */
  async purgeExpired(now = Date.now()): Promise<number> {
    const result = await this.#db.deleteFrom('oidc_payloads').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
