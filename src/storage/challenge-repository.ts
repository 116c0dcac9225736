import type { Kysely, Selectable } from 'kysely';
import type { ChallengeStore, LivenessChallenge } from '../verification/index.ts';
import type { Database, LivenessChallengeTable } from './database-schema.ts';

function toChallenge(row: Selectable<LivenessChallengeTable>): LivenessChallenge {
  return {
    challengeId: row.id,
    interviewId: row.session_id,
    steps: JSON.parse(row.steps),
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    status: row.status,
    result: row.result ? JSON.parse(row.result) : null,
  };
}

/** Liveness challenges: issued, then used exactly once (passed or failed), or superseded. */
export class ChallengeRepository implements ChallengeStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async issue(challenge: Omit<LivenessChallenge, 'status' | 'result'>): Promise<void> {
    await this.#db.transaction().execute(async (tx) => {
      await tx.updateTable('liveness_challenges').set({ status: 'superseded' })
        .where('session_id', '=', challenge.interviewId).where('status', '=', 'issued').execute();
      await tx.insertInto('liveness_challenges').values({
        id: challenge.challengeId, session_id: challenge.interviewId, steps: JSON.stringify(challenge.steps), issued_at: challenge.issuedAt,
        expires_at: challenge.expiresAt, completed_at: null, status: 'issued', result: null, frames_encrypted: null,
      }).execute();
    });
  }

  async find(challengeId: string): Promise<LivenessChallenge | undefined> {
    const row = await this.#db.selectFrom('liveness_challenges').selectAll().where('id', '=', challengeId).executeTakeFirst();
    return row ? toChallenge(row) : undefined;
  }

  async latest(interviewId: string): Promise<LivenessChallenge | undefined> {
    const row = await this.#db.selectFrom('liveness_challenges').selectAll().where('session_id', '=', interviewId)
      .where('status', 'in', ['passed', 'failed']).orderBy('completed_at', 'desc').executeTakeFirst();
    return row ? toChallenge(row) : undefined;
  }

  async countUsed(interviewId: string): Promise<number> {
    const row = await this.#db.selectFrom('liveness_challenges').select((eb) => eb.fn.countAll<number>().as('used'))
      .where('session_id', '=', interviewId).where('status', 'in', ['passed', 'failed']).executeTakeFirstOrThrow();
    return Number(row.used);
  }

  async complete(challengeId: string, status: 'passed' | 'failed', result: LivenessChallenge['result']): Promise<boolean> {
    const updated = await this.#db.updateTable('liveness_challenges')
      .set({ status, result: JSON.stringify(result), completed_at: Date.now() })
      .where('id', '=', challengeId).where('status', '=', 'issued').executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }
}
