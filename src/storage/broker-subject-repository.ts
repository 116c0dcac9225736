import type { Kysely } from 'kysely';
import { randomId, type DataCipher } from '../security/index.ts';
import type { Database } from './database-schema.ts';
import { isUniqueViolation } from './unique-violation.ts';

const purpose = (clientId: string) => `broker-subject:${clientId}`;
const context = (id: string) => `broker_subject:${id}:subject`;

/**
 * Which verid identity a broker's user is (per client): the Microsoft Entra external
 * authentication method names its user by a signed id_token_hint (`{tenant}:{sub}`), and the
 * first verification that user completes — document, selfie, name matched — binds them.
 */
export class BrokerSubjectRepository {
  readonly #db: Kysely<Database>;
  readonly #cipher: DataCipher;

  constructor(db: Kysely<Database>, cipher: DataCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async findIdentity(clientId: string, subject: string): Promise<string | undefined> {
    const row = await this.#db.selectFrom('broker_subjects').select('identity_id').where('client_id', '=', clientId)
      .where('subject_index', 'in', this.#cipher.blindIndexes(subject, purpose(clientId))).executeTakeFirst();
    return row?.identity_id;
  }

  /** Binds (or re-binds, after a new document verification) the subject to `identityId`. */
  async bind(clientId: string, subject: string, identityId: string, now = Date.now()): Promise<void> {
    const indexes = this.#cipher.blindIndexes(subject, purpose(clientId));
    const updated = await this.#db.updateTable('broker_subjects').set({ identity_id: identityId, updated_at: now })
      .where('client_id', '=', clientId).where('subject_index', 'in', indexes).executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    const id = randomId(16);
    try {
      await this.#db.insertInto('broker_subjects').values({
        id, client_id: clientId, subject_index: indexes[0]!, subject_encrypted: this.#cipher.encrypt(Buffer.from(subject), context(id)),
        identity_id: identityId, created_at: now, updated_at: now,
      }).execute();
    } catch (error) {
      // Two first verifications of one subject at once: the later one re-binds.
      if (!isUniqueViolation(error, 'subject_index')) throw error;
      await this.bind(clientId, subject, identityId, now);
    }
  }
}

/** For `verid rekey`: the subject's keyed hash under the current key. */
export function brokerSubjectIndex(cipher: DataCipher, clientId: string, subject: string): string {
  return cipher.blindIndex(subject, purpose(clientId));
}

export function brokerSubjectContext(id: string): string {
  return context(id);
}
