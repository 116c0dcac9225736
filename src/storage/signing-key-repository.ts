import type { Kysely } from 'kysely';
import type { DataCipher } from '../security/index.ts';
import { isUniqueViolation } from './unique-violation.ts';
import type { Database, SigningKeyTable } from './database-schema.ts';

export interface SigningKeyRecord {
  kid: string;
  alg: string;
  state: SigningKeyTable['state'];
  publicJwk: Record<string, unknown>;
  privateJwk: Record<string, unknown>;
  createdAt: number;
  activatedAt: number | null;
  retiredAt: number | null;
  removeAfter: number | null;
}

/** Token-signing keys; private parts encrypted with the master key. */
export class SigningKeyRepository {
  readonly #db: Kysely<Database>;
  readonly #cipher: DataCipher;

  constructor(db: Kysely<Database>, cipher: DataCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async list(): Promise<SigningKeyRecord[]> {
    const rows = await this.#db.selectFrom('signing_keys').selectAll().orderBy('created_at').execute();
    return rows.map((row) => ({
      kid: row.kid,
      alg: row.alg,
      state: row.state,
      publicJwk: JSON.parse(row.public_jwk),
      privateJwk: this.#cipher.decryptJson(row.private_jwk_encrypted, `signing_key:${row.kid}`),
      createdAt: row.created_at,
      activatedAt: row.activated_at,
      retiredAt: row.retired_at,
      removeAfter: row.remove_after,
    }));
  }

  async insert(key: { kid: string; alg: string; state: SigningKeyTable['state']; publicJwk: object; privateJwk: object }): Promise<void> {
    const now = Date.now();
    await this.#db.insertInto('signing_keys').values({
      kid: key.kid,
      alg: key.alg,
      state: key.state,
      public_jwk: JSON.stringify(key.publicJwk),
      private_jwk_encrypted: this.#cipher.encryptJson(key.privateJwk, `signing_key:${key.kid}`),
      created_at: now,
      activated_at: key.state === 'current' ? now : null,
      retired_at: null,
      remove_after: null,
    }).execute();
  }

  /** Promotes `next` keys to `current` and retires the current ones, in one transaction. */
  /** Inserts a current key unless the algorithm has one (one current key per algorithm, enforced by the database). */
  async insertCurrentIfNone(key: { kid: string; alg: string; publicJwk: object; privateJwk: object }): Promise<boolean> {
    try {
      await this.insert({ ...key, state: 'current' });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async promote(nextKids: string[], retire: Array<{ kid: string; removeAfter: number }>): Promise<void> {
    const now = Date.now();
    await this.#db.transaction().execute(async (tx) => {
      for (const { kid, removeAfter } of retire) {
        await tx.updateTable('signing_keys').set({ state: 'retired', retired_at: now, remove_after: removeAfter }).where('kid', '=', kid).execute();
      }
      if (nextKids.length > 0) {
        await tx.updateTable('signing_keys').set({ state: 'current', activated_at: now }).where('kid', 'in', nextKids).execute();
      }
    });
  }

  async deleteRetiredBefore(now = Date.now()): Promise<number> {
    const result = await this.#db.deleteFrom('signing_keys').where('state', '=', 'retired').where('remove_after', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
