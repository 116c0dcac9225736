import type { Kysely } from 'kysely';
import { randomId, type DataCipher } from '../security/index.ts';
import type { Environment, IdentityClaims, IdentityStore } from '../verification/index.ts';
import type { Database } from './database-schema.ts';
import { readEpoch, type ReadCache } from './read-cache.ts';

/** Verified identities: `sub` is the row id; claims and face template are encrypted at rest. */
export class IdentityRepository implements IdentityStore {
  readonly #db: Kysely<Database>;
  readonly #cipher: DataCipher;
  readonly #cache: ReadCache | undefined;

  /** `cache`: the OIDC endpoints' read cache (core.ts); the CLI reads without one. */
  constructor(db: Kysely<Database>, cipher: DataCipher, cache?: ReadCache) {
    this.#db = db;
    this.#cipher = cipher;
    this.#cache = cache;
  }

  async enroll(lookupKeys: string[], claims: IdentityClaims, faceTemplate: number[] | null, environment: Environment = 'production'): Promise<string> {
    const now = Date.now();
    const lookupKey = lookupKeys[0]!;
    const enrolled = await this.#db.transaction().execute(async (tx) => {
      const existing = await tx.selectFrom('identities').select('id').where('lookup_key', 'in', lookupKeys).executeTakeFirst();
      const id = existing?.id ?? randomId();
      const values = {
        lookup_key: lookupKey,
        claims_encrypted: this.#cipher.encryptJson(claims, `identity:${id}:claims`),
        face_template_encrypted: faceTemplate ? this.#cipher.encryptJson(faceTemplate, `identity:${id}:face`) : null,
        updated_at: now,
        last_verified_at: now,
      };
      if (existing) {
        await tx.updateTable('identities').set(values).where('id', '=', id).execute();
      } else {
        await tx.insertInto('identities').values({ id, created_at: now, email_index: null, environment, ...values }).execute();
      }
      return id;
    });
    this.#cache?.changed(`identity:${enrolled}`);
    return enrolled;
  }

  async findClaims(identityId: string): Promise<IdentityClaims | undefined> {
    const key = `identity:${identityId}`;
    const cached = this.#cache?.get<IdentityClaims>(key);
    if (cached) return cached;
    const row = await this.#db.selectFrom('identities').select('claims_encrypted').select(readEpoch)
      .where('id', '=', identityId).where('erased_at', 'is', null).executeTakeFirst();
    if (!row) return undefined;
    const claims = this.#cipher.decryptJson<IdentityClaims>(row.claims_encrypted, `identity:${identityId}:claims`);
    this.#cache?.observe(row.read_epoch);
    this.#cache?.set(key, claims, row.read_epoch);
    return claims;
  }

  async findFaceTemplate(identityId: string): Promise<number[] | undefined> {
    const row = await this.#db.selectFrom('identities').select('face_template_encrypted').where('id', '=', identityId).where('erased_at', 'is', null).executeTakeFirst();
    return row?.face_template_encrypted ? this.#cipher.decryptJson<number[]>(row.face_template_encrypted, `identity:${identityId}:face`) : undefined;
  }

  async findByLookupKey(lookupKeys: string[]): Promise<string | undefined> {
    return (await this.#db.selectFrom('identities').select('id').where('lookup_key', 'in', lookupKeys).executeTakeFirst())?.id;
  }

  /** Templates changed since `since`; an erased identity comes with `template: null` (drop it from the index). */
  async listTemplates(since: number): Promise<Array<{ identityId: string; template: number[] | null; interviewId: string | null; updatedAt: number; environment: Environment }>> {
    const rows = await this.#db.selectFrom('identities').select(['id', 'face_template_encrypted', 'claims_encrypted', 'updated_at', 'erased_at', 'environment'])
      .where('updated_at', '>', since)
      .where((eb) => eb.or([eb('face_template_encrypted', 'is not', null), eb('erased_at', 'is not', null)])).orderBy('updated_at').execute();
    return rows.map((row) => (row.erased_at !== null || !row.face_template_encrypted
      ? { identityId: row.id, template: null, interviewId: null, updatedAt: row.updated_at, environment: row.environment as Environment }
      : {
        identityId: row.id,
        environment: row.environment as Environment,
        template: this.#cipher.decryptJson<number[]>(row.face_template_encrypted, `identity:${row.id}:face`),
        interviewId: this.#cipher.decryptJson<IdentityClaims>(row.claims_encrypted, `identity:${row.id}:claims`).interviewId ?? null,
        updatedAt: row.updated_at,
      }));
  }

}
