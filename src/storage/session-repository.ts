import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DataCipher } from '../security/index.ts';
import type {
  Candidate, DocumentRecord, SessionCursor, SessionFilter, ImageKind, Language, LinkDeliveryStatus, NewSession, OutboxMessage, SessionEvent, SessionPatch, SessionState,
  SessionStore, VerificationSession,
} from '../verification/index.ts';
import type { Database, VerificationSessionTable } from './database-schema.ts';
import { randomId } from '../security/index.ts';
import { isUniqueViolation } from './unique-violation.ts';
import { isDeliveryChannel, LINK_DELIVERY_JOB, linkDeliveryKey, OPEN_STATES } from '../verification/index.ts';
import { insertJob } from './job-repository.ts';

type Row = Selectable<VerificationSessionTable>;

function toSession(row: Row): VerificationSession {
  return {
    interviewId: row.id,
    interviewCode: row.interview_code,
    origin: row.origin as VerificationSession['origin'],
    mode: row.mode as VerificationSession['mode'],
    environment: row.environment as VerificationSession['environment'],
    state: row.state as SessionState,
    clientId: row.client_id,
    interactionUid: row.interaction_uid,
    externalId: row.external_id,
    identityId: row.identity_id,
    scores: row.scores ? JSON.parse(row.scores) : null,
    reasons: JSON.parse(row.reasons),
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    documentAttempts: row.document_attempts,
    faceAttempts: row.face_attempts,
    consentAt: row.consent_at,
    consentVersion: row.consent_version,
    externalCustomerId: row.external_customer_id,
    configurationId: row.configuration_id,
    redirectionUrl: row.redirection_url,
    notification: row.notification as VerificationSession['notification'],
    employeeId: row.employee_id,
    b2bReason: row.b2b_reason,
    language: row.language as Language | null,
    delivery: isDeliveryChannel(row.notification) && row.delivery_status
      ? { channel: row.notification, status: row.delivery_status as LinkDeliveryStatus, attempts: row.delivery_attempts } : null,
  };
}

const SESSION_COLUMNS = [
  'id', 'interview_code', 'token_hash', 'origin', 'mode', 'environment', 'state', 'client_id', 'interaction_uid', 'external_id',
  'identity_id', 'scores', 'reasons', 'expires_at', 'created_at', 'updated_at', 'completed_at', 'document_attempts', 'face_attempts',
  'consent_at', 'consent_version', 'external_customer_id', 'configuration_id', 'redirection_url', 'notification', 'employee_id', 'b2b_reason', 'language',
  'delivery_status', 'delivery_attempts',
] as const;

async function insertOutbox(db: Kysely<Database> | Transaction<Database>, interviewId: string, outbox: OutboxMessage, now: number): Promise<void> {
  await db.insertInto('webhook_outbox').values({
    id: randomId(), session_id: interviewId, client_id: outbox.clientId, event_type: outbox.eventType, payload: JSON.stringify(outbox.payload),
    created_at: now, attempts: 0, next_attempt_at: now, delivered_at: null, dispatched_at: null,
    // In a transition the session row is locked by its compare-and-set, so this count cannot race.
    sequence: sql<number>`(SELECT COALESCE(MAX(sequence), 0) + 1 FROM webhook_outbox WHERE session_id = ${interviewId})`,
  }).execute();
}

/** Verification sessions, their append-only event log, encrypted images and the webhook outbox. */
export class SessionRepository implements SessionStore {
  readonly #db: Kysely<Database>;
  readonly #cipher: DataCipher;

  constructor(db: Kysely<Database>, cipher: DataCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async create(session: NewSession, event: SessionEvent): Promise<VerificationSession | undefined> {
    const now = Date.now();
    try {
      await this.#insert(session, event, now);
    } catch (error) {
      if (isUniqueViolation(error, 'interview_code')) return undefined;
      throw error;
    }
    const created = await this.findById(session.interviewId);
    if (!created) throw new Error('session vanished after insert');
    return created;
  }

  async #insert(session: NewSession, event: SessionEvent, now: number): Promise<void> {
    await this.#db.transaction().execute(async (tx) => {
      await tx.insertInto('verification_sessions').values({
        id: session.interviewId,
        interview_code: session.interviewCode,
        token_hash: session.tokenHash,
        origin: session.origin,
        mode: session.mode,
        environment: session.environment,
        state: 'created',
        client_id: session.clientId,
        interaction_uid: session.interactionUid,
        external_id: session.externalId,
        login_hint_encrypted: session.loginHint
          ? this.#cipher.encrypt(Buffer.from(session.loginHint), `session:${session.interviewId}:login_hint`) : null,
        expected_name_encrypted: session.expectedName
          ? this.#cipher.encrypt(Buffer.from(session.expectedName), `session:${session.interviewId}:expected_name`) : null,
        identity_id: session.identityId ?? null,
        external_customer_id: session.externalCustomerId ?? null,
        configuration_id: session.configurationId ?? null,
        employee_id: session.employeeId ?? null,
        b2b_reason: session.b2bReason ?? null,
        redirection_url: session.redirectionUrl ?? null,
        notification: session.notification ?? null,
        candidate_encrypted: session.candidate
          ? this.#cipher.encrypt(Buffer.from(JSON.stringify(session.candidate)), `session:${session.interviewId}:candidate`) : null,
        language: session.language ?? null,
        link_token_encrypted: session.linkDelivery
          ? this.#cipher.encrypt(Buffer.from(session.linkDelivery.token), `session:${session.interviewId}:link_token`) : null,
        delivery_status: session.linkDelivery ? 'queued' : null,
        consent_at: session.consent?.at ?? null,
        consent_version: session.consent?.version ?? null,
        scores: null,
        document_encrypted: null,
        reasons: '[]',
        expires_at: session.expiresAt,
        created_at: now,
        updated_at: now,
        completed_at: null,
      }).execute();
      await tx.insertInto('verification_events').values({
        session_id: session.interviewId, type: event.type, from_state: null, to_state: 'created', data: JSON.stringify(event.data), created_at: now,
      }).execute();
      if (session.linkDelivery && isDeliveryChannel(session.notification ?? null)) {
        const queued: SessionEvent = { type: 'link.queued', data: { channel: session.notification as 'EMAIL' | 'SMS', by: 'start' } };
        await tx.insertInto('verification_events').values({
          session_id: session.interviewId, type: queued.type, from_state: null, to_state: null, data: JSON.stringify(queued.data), created_at: now,
        }).execute();
        await insertJob(tx, {
          kind: LINK_DELIVERY_JOB, payload: { interviewId: session.interviewId }, runAt: now, maxAttempts: session.linkDelivery.maxAttempts,
          uniqueKey: linkDeliveryKey(session.interviewId),
        });
      }
    });
  }

  async findById(interviewId: string): Promise<VerificationSession | undefined> {
    const row = await this.#db.selectFrom('verification_sessions').select(SESSION_COLUMNS).where('id', '=', interviewId).executeTakeFirst();
    return row ? toSession(row as Row) : undefined;
  }

  async findByTokenHash(tokenHash: string): Promise<VerificationSession | undefined> {
    const row = await this.#db.selectFrom('verification_sessions').select(SESSION_COLUMNS).where('token_hash', '=', tokenHash).executeTakeFirst();
    return row ? toSession(row as Row) : undefined;
  }

  async findByInterviewCode(code: string): Promise<VerificationSession | undefined> {
    const row = await this.#db.selectFrom('verification_sessions').select(SESSION_COLUMNS).where('interview_code', '=', code).executeTakeFirst();
    return row ? toSession(row as Row) : undefined;
  }

  async findByInteractionUid(uid: string): Promise<VerificationSession | undefined> {
    const row = await this.#db.selectFrom('verification_sessions').select(SESSION_COLUMNS)
      .where('interaction_uid', '=', uid).orderBy('created_at', 'desc').executeTakeFirst();
    return row ? toSession(row as Row) : undefined;
  }

  async transition(
    interviewId: string, from: SessionState, to: SessionState, event: SessionEvent, patch: SessionPatch = {}, outbox?: OutboxMessage,
  ): Promise<boolean> {
    const now = Date.now();
    return this.#db.transaction().execute(async (tx) => {
      const result = await tx.updateTable('verification_sessions').set({
        state: to,
        updated_at: now,
        ...(patch.scores !== undefined ? { scores: patch.scores ? JSON.stringify(patch.scores) : null } : {}),
        ...(patch.reasons !== undefined ? { reasons: JSON.stringify(patch.reasons) } : {}),
        ...(patch.identityId !== undefined ? { identity_id: patch.identityId } : {}),
        ...(patch.completedAt !== undefined ? { completed_at: patch.completedAt } : {}),
      }).where('id', '=', interviewId).where('state', '=', from).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await tx.insertInto('verification_events').values({
        session_id: interviewId, type: event.type, from_state: from, to_state: to, data: JSON.stringify(event.data), created_at: now,
      }).execute();
      if (outbox) await insertOutbox(tx, interviewId, outbox, now);
      return true;
    });
  }

  async appendEvent(interviewId: string, event: SessionEvent): Promise<void> {
    await this.#db.insertInto('verification_events').values({
      session_id: interviewId, type: event.type, from_state: null, to_state: null, data: JSON.stringify(event.data), created_at: Date.now(),
    }).execute();
  }

  async replaceTokenHash(interviewId: string, tokenHash: string): Promise<void> {
    await this.#db.updateTable('verification_sessions').set({ token_hash: tokenHash, link_token_encrypted: null, updated_at: Date.now() })
      .where('id', '=', interviewId).execute();
  }

  async loadLinkToken(interviewId: string): Promise<string | null> {
    const row = await this.#db.selectFrom('verification_sessions').select('link_token_encrypted').where('id', '=', interviewId).executeTakeFirst();
    if (!row?.link_token_encrypted) return null;
    return this.#cipher.decrypt(row.link_token_encrypted, `session:${interviewId}:link_token`).toString('utf8');
  }

  async recordLinkAttempt(interviewId: string, status: LinkDeliveryStatus, attempts: number, events: SessionEvent[], outbox?: OutboxMessage): Promise<void> {
    const now = Date.now();
    await this.#db.transaction().execute(async (tx) => {
      // Updating the row first locks it on PostgreSQL: concurrent writers of this session's outbox wait.
      await tx.updateTable('verification_sessions').set({ delivery_status: status, delivery_attempts: attempts }).where('id', '=', interviewId).execute();
      for (const event of events) {
        await tx.insertInto('verification_events').values({
          session_id: interviewId, type: event.type, from_state: null, to_state: null, data: JSON.stringify(event.data), created_at: now,
        }).execute();
      }
      if (outbox) await insertOutbox(tx, interviewId, outbox, now);
    });
  }

  async requeueLinkDelivery(interviewId: string, maxAttempts: number, event: SessionEvent): Promise<boolean> {
    const now = Date.now();
    return this.#db.transaction().execute(async (tx) => {
      const result = await tx.updateTable('verification_sessions').set({ delivery_status: 'queued', delivery_attempts: 0 })
        .where('id', '=', interviewId).where('link_token_encrypted', 'is not', null).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await tx.insertInto('verification_events').values({
        session_id: interviewId, type: event.type, from_state: null, to_state: null, data: JSON.stringify(event.data), created_at: now,
      }).execute();
      await insertJob(tx, { kind: LINK_DELIVERY_JOB, payload: { interviewId }, runAt: now, maxAttempts, uniqueKey: linkDeliveryKey(interviewId) });
      return true;
    });
  }

  async countAttempt(interviewId: string, kind: 'document' | 'face'): Promise<number> {
    const column = kind === 'document' ? 'document_attempts' : 'face_attempts';
    await this.#db.updateTable('verification_sessions').set((eb) => ({ [column]: eb(column, '+', 1) }))
      .where('id', '=', interviewId).execute();
    const row = await this.#db.selectFrom('verification_sessions').select(column).where('id', '=', interviewId).executeTakeFirstOrThrow();
    return Number(row[column]);
  }

  async listEvents(interviewId: string) {
    const rows = await this.#db.selectFrom('verification_events').selectAll().where('session_id', '=', interviewId).orderBy('id').execute();
    // Rows were written through the SessionEvent catalogue.
    return rows.map((r) => ({ type: r.type, data: JSON.parse(r.data), fromState: r.from_state, toState: r.to_state, createdAt: r.created_at }) as SessionEvent & {
      fromState: string | null; toState: string | null; createdAt: number;
    });
  }

  async saveImage(interviewId: string, kind: ImageKind, contentType: string, data: Uint8Array): Promise<void> {
    const encrypted = this.#cipher.encrypt(data, `session:${interviewId}:image:${kind}`);
    await this.#db.insertInto('session_images').values({
      session_id: interviewId, kind, content_type: contentType, data_encrypted: encrypted, created_at: Date.now(),
    }).onConflict((oc) => oc.columns(['session_id', 'kind']).doUpdateSet({ content_type: contentType, data_encrypted: encrypted, created_at: Date.now() }))
      .execute();
  }

  async loadImage(interviewId: string, kind: ImageKind): Promise<{ contentType: string; data: Buffer } | undefined> {
    const row = await this.#db.selectFrom('session_images').select(['content_type', 'data_encrypted'])
      .where('session_id', '=', interviewId).where('kind', '=', kind).executeTakeFirst();
    if (!row) return undefined;
    return { contentType: row.content_type, data: this.#cipher.decrypt(row.data_encrypted, `session:${interviewId}:image:${kind}`) };
  }

  async listImageKinds(interviewId: string): Promise<ImageKind[]> {
    const rows = await this.#db.selectFrom('session_images').select('kind').where('session_id', '=', interviewId).execute();
    return rows.map((r) => r.kind as ImageKind);
  }

  async saveDocument(interviewId: string, document: DocumentRecord): Promise<void> {
    await this.#db.updateTable('verification_sessions')
      .set({ document_encrypted: this.#cipher.encryptJson(document, `session:${interviewId}:document`), updated_at: Date.now() })
      .where('id', '=', interviewId).execute();
  }

  async loadDocument(interviewId: string): Promise<DocumentRecord | undefined> {
    const row = await this.#db.selectFrom('verification_sessions').select('document_encrypted').where('id', '=', interviewId).executeTakeFirst();
    if (!row?.document_encrypted) return undefined;
    return this.#cipher.decryptJson<DocumentRecord>(row.document_encrypted, `session:${interviewId}:document`);
  }

  async listForClient(clientId: string, filter: SessionFilter, limit: number, cursor?: SessionCursor): Promise<VerificationSession[]> {
    let query = this.#db.selectFrom('verification_sessions').select(SESSION_COLUMNS).where('client_id', '=', clientId);
    if (filter.states?.length) query = query.where('state', 'in', filter.states);
    if (filter.externalId !== undefined) query = query.where('external_id', '=', filter.externalId);
    if (filter.origin !== undefined) query = query.where('origin', '=', filter.origin);
    if (filter.employeeId !== undefined) query = query.where('employee_id', '=', filter.employeeId);
    if (filter.identityId !== undefined) query = query.where('identity_id', '=', filter.identityId);
    if (filter.b2bReason !== undefined) query = query.where('b2b_reason', '=', filter.b2bReason);
    if (filter.createdFrom !== undefined) query = query.where('created_at', '>=', filter.createdFrom);
    if (filter.createdTo !== undefined) query = query.where('created_at', '<', filter.createdTo);
    if (cursor) {
      query = query.where((eb) => eb.or([
        eb('created_at', '<', cursor.createdAt),
        eb.and([eb('created_at', '=', cursor.createdAt), eb('id', '<', cursor.interviewId)]),
      ]));
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map((row) => toSession(row as Row));
  }

  async loadCandidate(interviewId: string): Promise<Candidate | null> {
    const row = await this.#db.selectFrom('verification_sessions').select('candidate_encrypted').where('id', '=', interviewId).executeTakeFirst();
    if (!row?.candidate_encrypted) return null;
    return JSON.parse(this.#cipher.decrypt(row.candidate_encrypted, `session:${interviewId}:candidate`).toString('utf8')) as Candidate;
  }

  async loadExpectedName(interviewId: string): Promise<string | null> {
    const row = await this.#db.selectFrom('verification_sessions').select('expected_name_encrypted').where('id', '=', interviewId).executeTakeFirst();
    if (!row?.expected_name_encrypted) return null;
    return this.#cipher.decrypt(row.expected_name_encrypted, `session:${interviewId}:expected_name`).toString('utf8');
  }

  async listExpiredOpen(now: number, limit: number): Promise<VerificationSession[]> {
    const rows = await this.#db.selectFrom('verification_sessions').select(SESSION_COLUMNS)
      .where('state', 'in', [...OPEN_STATES]).where('expires_at', '<=', now)
      .orderBy('expires_at').limit(limit).execute();
    return rows.map((row) => toSession(row as Row));
  }

  async listStuckProcessing(before: number, limit: number): Promise<VerificationSession[]> {
    const rows = await this.#db.selectFrom('verification_sessions').select(SESSION_COLUMNS)
      .where('state', '=', 'processing').where('updated_at', '<', before).orderBy('updated_at').limit(limit).execute();
    return rows.map((row) => toSession(row as Row));
  }

  async recordConsent(interviewId: string, version: string, at: number): Promise<void> {
    await this.#db.transaction().execute(async (tx) => {
      await tx.updateTable('verification_sessions').set({ consent_at: at, consent_version: version, updated_at: at }).where('id', '=', interviewId).execute();
      await tx.insertInto('verification_events').values({
        session_id: interviewId, type: 'consent.given', from_state: null, to_state: null, data: JSON.stringify({ version }), created_at: at,
      }).execute();
    });
  }
}
