import { AppError } from '../errors/index.ts';
import { hashSecret, humanCode, randomId } from '../security/index.ts';
import { decide } from './decision-policy.ts';
import type { DocumentEngine, FaceEngine } from './engine-ports.ts';
import { sniffImageType } from './image-format.ts';
import { toIdentityClaims } from './identity-claims.ts';
import type { DocumentRecord, IdentityStore, SessionStore } from './ports.ts';
import { emptyScores, overallOf, type Scores } from './scores.ts';
import type { Environment, ImageKind, SessionMode, SessionOrigin, VerificationSession } from './session.ts';
import { canTransition, isOpen, type SessionState } from './session-state.ts';

export interface VerificationServiceOptions {
  sessions: SessionStore;
  identities: IdentityStore;
  documents: DocumentEngine;
  faces: FaceEngine;
  /** Keyed hash used to recognise the same document again without storing its number in clear. */
  blindIndex: (value: string, purpose: string) => string;
  sessionTtlSeconds: number;
  maxImageBytes: number;
}

export interface StartInput {
  origin: SessionOrigin;
  mode: SessionMode;
  environment: Environment;
  clientId: string | null;
  interactionUid: string | null;
  externalId: string | null;
  loginHint: string | null;
}

/** The verification session use cases shared by the OIDC login, the Omni API and the B2B API. */
export class VerificationService {
  readonly #o: VerificationServiceOptions;

  constructor(options: VerificationServiceOptions) {
    this.#o = options;
  }

  async start(input: StartInput): Promise<{ session: VerificationSession; token: string }> {
    const token = randomId(32);
    const session = await this.#o.sessions.create({
      ...input,
      interviewId: randomId(16),
      interviewCode: humanCode(),
      tokenHash: hashSecret(token),
      expiresAt: Date.now() + this.#o.sessionTtlSeconds * 1000,
    }, { type: 'session.created', data: { origin: input.origin, mode: input.mode, environment: input.environment } });
    return { session, token };
  }

  /** Resolves a capture token to its session; an expired session is marked so and refused. */
  async authenticate(token: string): Promise<VerificationSession> {
    return this.expireIfDue(await this.#byToken(token));
  }

  /** Like `authenticate`, but also returns expired sessions (for reading results). */
  async authenticateAllowingClosed(token: string): Promise<VerificationSession> {
    return this.expireIfDue(await this.#byToken(token), false);
  }

  async #byToken(token: string): Promise<VerificationSession> {
    const session = await this.#o.sessions.findByTokenHash(hashSecret(token));
    if (!session) throw new AppError('unauthorized', 'The session token is not valid');
    return session;
  }

  /** A new capture token for an open session (the old one stops working); only hashes are stored. */
  async reissueToken(session: VerificationSession): Promise<string> {
    const token = randomId(32);
    await this.#o.sessions.replaceTokenHash(session.interviewId, hashSecret(token));
    return token;
  }

  async findByInteraction(uid: string): Promise<VerificationSession | undefined> {
    const session = await this.#o.sessions.findByInteractionUid(uid);
    return session && this.expireIfDue(session, false);
  }

  async find(interviewId: string): Promise<VerificationSession | undefined> {
    const session = await this.#o.sessions.findById(interviewId);
    return session && this.expireIfDue(session, false);
  }

  async expireIfDue(session: VerificationSession, throwIfExpired = true): Promise<VerificationSession> {
    if (isOpen(session.state) && session.expiresAt <= Date.now()) {
      await this.#o.sessions.transition(session.interviewId, session.state, 'expired',
        { type: 'session.expired', data: {} }, { reasons: ['session_expired'], completedAt: Date.now() },
        { eventType: 'verification.expired', payload: this.#webhookPayload(session, 'expired') });
      session = (await this.#o.sessions.findById(session.interviewId)) ?? session;
    }
    if (throwIfExpired && session.state === 'expired') throw new AppError('session_expired', 'The verification session has expired');
    return session;
  }

  async addImage(session: VerificationSession, kind: ImageKind, data: Uint8Array): Promise<VerificationSession> {
    this.#assertCapturing(session);
    if (data.length === 0) throw new AppError('invalid_image', 'The image is empty');
    if (data.length > this.#o.maxImageBytes) throw new AppError('payload_too_large', `Images must be at most ${this.#o.maxImageBytes} bytes`);
    const contentType = sniffImageType(data);
    if (!contentType) throw new AppError('invalid_image', 'The image must be a JPEG, PNG or WebP file');
    await this.#o.sessions.saveImage(session.interviewId, kind, contentType, data);
    const kinds = new Set(await this.#o.sessions.listImageKinds(session.interviewId));
    const next: SessionState = kinds.has('front') && kinds.has('face') ? 'face_captured' : kinds.has('front') ? 'id_captured' : 'started';
    const to = canTransition(session.state, next) ? next : session.state;
    await this.#transition(session, to, { type: 'image.added', data: { kind, contentType, bytes: data.length } });
    return this.#reload(session);
  }

  /** Reads the document front: MRZ, check digits, validity. Can be repeated after a new front. */
  async processId(session: VerificationSession): Promise<DocumentRecord> {
    this.#assertCapturing(session);
    const front = await this.#o.sessions.loadImage(session.interviewId, 'front');
    if (!front) throw new AppError('invalid_state', 'Upload the front of the ID before processing it');
    const reading = await this.#o.documents.read(front.data);
    const record: DocumentRecord = {
      fields: reading.fields && {
        documentType: reading.fields.documentType, issuingCountry: reading.fields.issuingCountry, nationality: reading.fields.nationality,
        documentNumber: reading.fields.documentNumber, surname: reading.fields.surname, givenNames: reading.fields.givenNames,
        birthDate: reading.fields.birthDate, expiryDate: reading.fields.expiryDate, sex: reading.fields.sex,
      },
      mrzValid: reading.mrzValid,
      items: reading.items,
      reasons: reading.reasons,
    };
    await this.#o.sessions.saveDocument(session.interviewId, record);
    const scores: Scores = { ...emptyScores(), reasons: record.reasons };
    const status = record.fields ? overallOf(record.items) : 'FAIL';
    scores.idValidation = { photoSecurityAndQuality: [], idSpecific: record.items, overall: { value: status === 'OK' ? 1 : 0, status } };
    await this.#transition(session, session.state, { type: 'document.processed', data: { status, reasons: record.reasons } }, { scores });
    return record;
  }

  /** Matches the selfie against the document portrait and decides the session. */
  async processFace(session: VerificationSession): Promise<VerificationSession> {
    this.#assertCapturing(session);
    if (session.state !== 'face_captured') throw new AppError('invalid_state', 'Upload the front of the ID and a selfie before processing');
    const document = (await this.#o.sessions.loadDocument(session.interviewId)) ?? (await this.processId(session));
    if (!(await this.#o.sessions.transition(session.interviewId, 'face_captured', 'processing', { type: 'processing.started', data: {} }))) {
      throw new AppError('conflict', 'The session is already being processed');
    }
    try {
      const [front, selfie] = await Promise.all([
        this.#o.sessions.loadImage(session.interviewId, 'front'), this.#o.sessions.loadImage(session.interviewId, 'face'),
      ]);
      if (!front || !selfie) throw new Error('captured images missing');
      const [portrait, face] = await Promise.all([
        this.#o.faces.analyze(front.data, 'document'), this.#o.faces.analyze(selfie.data, 'selfie'),
      ]);
      const similarity = portrait.embedding && face.embedding && face.reasons.length === 0
        ? this.#o.faces.similarity(portrait.embedding, face.embedding) : null;
      const decision = decide(
        { found: document.fields !== null, mrzValid: document.mrzValid, items: document.items, reasons: document.reasons },
        { documentFaceFound: portrait.embedding !== null, selfieReasons: face.reasons, similarity, threshold: this.#o.faces.threshold },
      );
      let identityId: string | null = null;
      if (decision.state === 'succeeded' && document.fields) {
        const claims = toIdentityClaims(document.fields, session, await this.#o.sessions.loadLoginHint(session.interviewId));
        const key = `${document.fields.issuingCountry}|${document.fields.documentType}|${document.fields.documentNumber}`;
        identityId = await this.#o.identities.enroll(this.#o.blindIndex(key, 'document'), claims, face.embedding);
      }
      await this.#o.sessions.transition(session.interviewId, 'processing', decision.state,
        { type: `session.${decision.state}`, data: { reasons: decision.reasons, similarity: decision.scores.faceRecognition.similarity } },
        { scores: decision.scores, reasons: decision.reasons, identityId, completedAt: Date.now() },
        { eventType: `verification.${decision.state}`, payload: this.#webhookPayload(session, decision.state) });
    } catch (error) {
      await this.#o.sessions.transition(session.interviewId, 'processing', 'face_captured', { type: 'processing.aborted', data: {} });
      throw error;
    }
    return this.#reload(session);
  }

  async loadDocument(session: VerificationSession): Promise<DocumentRecord | undefined> {
    return this.#o.sessions.loadDocument(session.interviewId);
  }

  #assertCapturing(session: VerificationSession): void {
    if (session.state === 'expired') throw new AppError('session_expired', 'The verification session has expired');
    if (!isOpen(session.state) || session.state === 'processing') {
      throw new AppError('session_closed', `The session is ${session.state} and no longer accepts captures`);
    }
  }

  async #transition(session: VerificationSession, to: SessionState, event: { type: string; data: Record<string, unknown> }, patch = {}) {
    if (!(await this.#o.sessions.transition(session.interviewId, session.state, to, event, patch))) {
      throw new AppError('conflict', 'The session changed meanwhile; retry');
    }
  }

  async #reload(session: VerificationSession): Promise<VerificationSession> {
    return (await this.#o.sessions.findById(session.interviewId)) ?? session;
  }

  #webhookPayload(session: VerificationSession, state: string): Record<string, unknown> {
    return { interviewId: session.interviewId, origin: session.origin, state, externalId: session.externalId };
  }
}
