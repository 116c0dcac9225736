import type { Kysely } from 'kysely';
import { randomId, type DataCipher } from '../security/index.ts';
import type { IdentityClaims, IdentityStore } from '../verification/index.ts';
import type { Database } from './database-schema.ts';

/** Verified identities: `sub` is the row id; claims and face template are encrypted at rest. */
export class IdentityRepository implements IdentityStore {
  readonly #db: Kysely<Database>;
  readonly #cipher: DataCipher;

  constructor(db: Kysely<Database>, cipher: DataCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async enroll(lookupKey: string, claims: IdentityClaims, faceTemplate: number[] | null): Promise<string> {
    const now = Date.now();
    return this.#db.transaction().execute(async (tx) => {
      const existing = await tx.selectFrom('identities').select('id').where('lookup_key', '=', lookupKey).executeTakeFirst();
      const id = existing?.id ?? randomId();
      const values = {
        claims_encrypted: this.#cipher.encryptJson(claims, `identity:${id}:claims`),
        face_template_encrypted: faceTemplate ? this.#cipher.encryptJson(faceTemplate, `identity:${id}:face`) : null,
        updated_at: now,
        last_verified_at: now,
      };
      if (existing) {
        await tx.updateTable('identities').set(values).where('id', '=', id).execute();
      } else {
        await tx.insertInto('identities').values({ id, lookup_key: lookupKey, created_at: now, ...values }).execute();
      }
      return id;
    });
  }

  async findClaims(identityId: string): Promise<IdentityClaims | undefined> {
    const row = await this.#db.selectFrom('identities').select('claims_encrypted').where('id', '=', identityId).executeTakeFirst();
    return row ? this.#cipher.decryptJson<IdentityClaims>(row.claims_encrypted, `identity:${identityId}:claims`) : undefined;
  }
}
