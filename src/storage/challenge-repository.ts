import { sql, type Kysely, type Selectable } from 'kysely';
import { randomId, type DataCipher } from '../security/index.ts';
import type { ChallengeLimits, ChallengeStore, LivenessChallenge } from '../verification/index.ts';
import type { Database, LivenessChallengeTable } from './database-schema.ts';
import type { SqlDialectName } from './database.ts';
import { packFrames, unpackFrames } from './frame-pack.ts';

function toChallenge(row: Selectable<LivenessChallengeTable>): LivenessChallenge {
  return {
    challengeId: row.id,
    interviewId: row.session_id,
    steps: JSON.parse(row.steps),
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    status: row.status,
    result: row.result ? JSON.parse(row.result) : null,
    revealed: row.revealed,
    stepRevealedAt: row.step_revealed_at,
    subjectKey: row.subject_key,
  };
}

/** Liveness challenges: issued, revealed step by step, then used exactly once (passed or failed), or superseded. */
export class ChallengeRepository implements ChallengeStore {
  readonly #db: Kysely<Database>;
  readonly #cipher: DataCipher;
  readonly #dialect: SqlDialectName;

  constructor(db: Kysely<Database>, cipher: DataCipher, dialect: SqlDialectName) {
    this.#db = db;
    this.#cipher = cipher;
    this.#dialect = dialect;
  }

  async issue(challenge: Omit<LivenessChallenge, 'status' | 'result' | 'revealed' | 'stepRevealedAt'>, limits: ChallengeLimits): Promise<'issued' | 'session_exhausted' | 'subject_limited'> {
    return this.#db.transaction().execute(async (tx) => {
      if (this.#dialect === 'postgres') {
        // Concurrent issues for one session, or one person across sessions, wait for each other here.
        await tx.selectFrom('verification_sessions').select('id').where('id', '=', challenge.interviewId).forUpdate().execute();
        if (limits.subjectKeys[0]) await sql`select pg_advisory_xact_lock(hashtextextended(${`liveness-subject:${limits.subjectKeys[0]}`}, 0))`.execute(tx);
      }
      const issued = await tx.selectFrom('liveness_challenges').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('session_id', '=', challenge.interviewId).executeTakeFirstOrThrow();
      if (Number(issued.n) >= limits.perSession) return 'session_exhausted';
      if (limits.subjectKeys.length > 0) {
        const recent = await tx.selectFrom('liveness_challenges').select((eb) => eb.fn.countAll<number>().as('n'))
          .where('subject_key', 'in', limits.subjectKeys).where('issued_at', '>=', limits.since).executeTakeFirstOrThrow();
        if (Number(recent.n) >= limits.perSubject) return 'subject_limited';
      }
      const open = tx.selectFrom('liveness_challenges').select('id').where('session_id', '=', challenge.interviewId).where('status', '=', 'issued');
      await tx.deleteFrom('liveness_frames').where('challenge_id', 'in', open).execute();
      await tx.updateTable('liveness_challenges').set({ status: 'superseded' })
        .where('session_id', '=', challenge.interviewId).where('status', '=', 'issued').execute();
      await tx.insertInto('liveness_challenges').values({
        id: challenge.challengeId, session_id: challenge.interviewId, steps: JSON.stringify(challenge.steps), issued_at: challenge.issuedAt,
        expires_at: challenge.expiresAt, completed_at: null, status: 'issued', result: null, frames_encrypted: null,
        revealed: 1, step_revealed_at: challenge.issuedAt, subject_key: challenge.subjectKey,
      }).execute();
      return 'issued';
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

  async addFrames(challengeId: string, step: number, frames: Uint8Array[], receivedAt: number): Promise<number> {
    const id = randomId(16);
    await this.#db.insertInto('liveness_frames').values({
      id, challenge_id: challengeId, step, received_at: receivedAt, frame_count: frames.length,
      frames_encrypted: this.#cipher.encrypt(packFrames(frames), `liveness:${challengeId}:${id}`),
    }).execute();
    const row = await this.#db.selectFrom('liveness_frames').select((eb) => eb.fn.sum<number>('frame_count').as('frames'))
      .where('challenge_id', '=', challengeId).executeTakeFirstOrThrow();
    return Number(row.frames);
  }

  async loadFrames(challengeId: string): Promise<Array<{ step: number; image: Uint8Array }>> {
    const rows = await this.#db.selectFrom('liveness_frames').select(['id', 'step', 'frames_encrypted'])
      .where('challenge_id', '=', challengeId).orderBy('step').orderBy('received_at').orderBy('id').execute();
    return rows.flatMap((row) => unpackFrames(this.#cipher.decrypt(row.frames_encrypted, `liveness:${challengeId}:${row.id}`))
      .map((image) => ({ step: row.step, image })));
  }

  async reveal(challengeId: string, revealed: number, at: number): Promise<boolean> {
    const updated = await this.#db.updateTable('liveness_challenges').set({ revealed: revealed + 1, step_revealed_at: at })
      .where('id', '=', challengeId).where('revealed', '=', revealed).where('status', '=', 'issued').executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }

  async complete(challengeId: string, status: 'passed' | 'failed', result: LivenessChallenge['result']): Promise<boolean> {
    return this.#db.transaction().execute(async (tx) => {
      const updated = await tx.updateTable('liveness_challenges')
        .set({ status, result: JSON.stringify(result), completed_at: Date.now() })
        .where('id', '=', challengeId).where('status', '=', 'issued').executeTakeFirst();
      await tx.deleteFrom('liveness_frames').where('challenge_id', '=', challengeId).execute();
      return Number(updated.numUpdatedRows) === 1;
    });
  }

  async recordFrameDigests(challengeId: string, digests: string[][]): Promise<string[]> {
    const recorded = [...new Set(digests.map((underEachKey) => underEachKey[0]!))];
    if (recorded.length === 0) return [];
    const seen = await this.#db.selectFrom('liveness_frame_digests').select('digest')
      .where('digest', 'in', [...new Set(digests.flat())]).where('challenge_id', '!=', challengeId).execute();
    const now = Date.now();
    // key_id: `verid rekey` drops the digests of a previous master key (they cannot be recomputed: the frames are gone).
    await this.#db.insertInto('liveness_frame_digests').values(recorded.map((digest) => ({ digest, challenge_id: challengeId, created_at: now, key_id: this.#cipher.keyId })))
      .onConflict((oc) => oc.column('digest').doNothing()).execute();
    return seen.map((row) => row.digest);
  }

  async purgeStale(now: number, digestsBefore: number): Promise<number> {
    const stale = this.#db.selectFrom('liveness_challenges').select('id').where('expires_at', '<', now);
    const frames = await this.#db.deleteFrom('liveness_frames').where('challenge_id', 'in', stale).executeTakeFirst();
    const digests = await this.#db.deleteFrom('liveness_frame_digests').where('created_at', '<', digestsBefore).executeTakeFirst();
    return Number(frames.numDeletedRows) + Number(digests.numDeletedRows);
  }
}
