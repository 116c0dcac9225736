import type { Kysely } from 'kysely';
import { OPEN_STATES, type RetentionStore } from '../verification/index.ts';
import type { Database } from './database-schema.ts';

const EMPTY = new Uint8Array(0);

/**
 * Erasure on the raw tables: what is erased is gone (deleted or set to null), not re-encrypted, so
 * a dump shows no trace of it. What stays is the non-PII record: ids, states, timestamps, reason codes.
 */
export class RetentionRepository implements RetentionStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async eraseSessionMedia(interviewId: string, now = Date.now()): Promise<void> {
    await this.#db.transaction().execute(async (tx) => {
      await tx.deleteFrom('session_images').where('session_id', '=', interviewId).execute();
      const challenges = tx.selectFrom('liveness_challenges').select('id').where('session_id', '=', interviewId);
      await tx.deleteFrom('liveness_frames').where('challenge_id', 'in', challenges).execute();
      await tx.updateTable('verification_sessions').set({
        document_encrypted: null, expected_name_encrypted: null, login_hint_encrypted: null, candidate_encrypted: null, link_token_encrypted: null, erased_at: now,
      }).where('id', '=', interviewId).execute();
    });
  }

  async eraseIdentity(identityId: string, now = Date.now()): Promise<boolean> {
    return this.#db.transaction().execute(async (tx) => {
      const result = await tx.updateTable('identities').set({
        // The lookup key (the document's blind index) goes too: the same document enrolls anew, as someone new.
        lookup_key: `erased:${identityId}`, claims_encrypted: EMPTY, face_template_encrypted: null, email_index: null, erased_at: now, updated_at: now,
      }).where('id', '=', identityId).where('erased_at', 'is', null).executeTakeFirst();
      // A broker's user bound to it (Entra EAM) is nobody's any more: their next sign-in verifies a document again.
      await tx.deleteFrom('broker_subjects').where('identity_id', '=', identityId).execute();
      return Number(result.numUpdatedRows) === 1;
    });
  }

  async sessionsOfIdentity(identityId: string): Promise<string[]> {
    return (await this.#db.selectFrom('verification_sessions').select('id').where('identity_id', '=', identityId).execute()).map((r) => r.id);
  }

  async sessionsDecidedBefore(before: number, limit: number, configurationId?: string): Promise<string[]> {
    let query = this.#db.selectFrom('verification_sessions').select('id')
      .where('erased_at', 'is', null).where('state', 'not in', [...OPEN_STATES])
      .where((eb) => eb.or([eb('completed_at', '<', before), eb.and([eb('completed_at', 'is', null), eb('expires_at', '<', before)])]));
    if (configurationId !== undefined) query = query.where('configuration_id', '=', configurationId);
    const rows = await query.limit(limit).execute();
    return rows.map((r) => r.id);
  }

  async identitiesUnusedSince(before: number, limit: number): Promise<string[]> {
    const rows = await this.#db.selectFrom('identities').select('id')
      .where('erased_at', 'is', null).where('last_verified_at', '<', before).limit(limit).execute();
    return rows.map((r) => r.id);
  }

  async deleteSessionRecordsBefore(before: number, limit: number): Promise<number> {
    const ids = (await this.#db.selectFrom('verification_sessions').select('id')
      .where('erased_at', 'is not', null).where('completed_at', '<', before).limit(limit).execute()).map((r) => r.id);
    if (ids.length === 0) return 0;
    await this.#db.transaction().execute(async (tx) => {
      const challenges = tx.selectFrom('liveness_challenges').select('id').where('session_id', 'in', ids);
      await tx.deleteFrom('liveness_frames').where('challenge_id', 'in', challenges).execute();
      await tx.deleteFrom('liveness_challenges').where('session_id', 'in', ids).execute();
      await tx.deleteFrom('verification_events').where('session_id', 'in', ids).execute();
      const messages = tx.selectFrom('webhook_outbox').select('id').where('session_id', 'in', ids);
      await tx.deleteFrom('webhook_attempts').where('message_id', 'in', messages).execute();
      await tx.deleteFrom('webhook_deliveries').where('message_id', 'in', messages).execute();
      await tx.deleteFrom('webhook_outbox').where('session_id', 'in', ids).execute();
      await tx.deleteFrom('session_images').where('session_id', 'in', ids).execute();
      await tx.deleteFrom('verification_sessions').where('id', 'in', ids).execute();
    });
    return ids.length;
  }
}
