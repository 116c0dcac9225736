import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RateLimiters } from '../../abuse/rate-limiters.ts';
import { AppError } from '../../errors/index.ts';
import {
  emptyScores, isOpen, reasonsForCaptureClient, scoresForCaptureClient, MAX_CHUNK_FRAMES, MAX_FRAME_BYTES, reasonMessage, STEP_MIN_MS, type ImageKind, type VerificationService, type VerificationSession,
} from '../../verification/index.ts';
import {
  ChallengeFramesBody, ChallengeResponse, ConsentBody, ConsentResponse, ChallengeStepResponse, ErrorResponse, ImageAddedResponse, ImageBody, OcrDataResponse, ProcessFaceResponse,
  ProcessIdResponse, ScoresResponse,
} from './omni-schemas.ts';
import { bearer, challengeOutcomeHook, sessionGuardHook } from './session-guard.ts';
import { authenticateApiCaller, hasApiCredential, requireScope, type ApiAuthDependencies } from '../api-auth.ts';
import { scoresForApiClient, sessionOfCaller } from '../session-view.ts';

export interface OmniRoutesOptions {
  verification: VerificationService;
  maxImageBytes: number;
  limits: RateLimiters;
  /** The result routes also answer API clients (`?id=` with an API credential). */
  apiAuth: ApiAuthDependencies;
}

const errors = {
  400: ErrorResponse, 401: ErrorResponse, 409: ErrorResponse, 410: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse,
  429: ErrorResponse, 503: ErrorResponse,
};
/** Routes without an upload take at most a small JSON body. */
const SMALL_BODY_LIMIT = 4096;
/** One chunk of liveness frames at most: MAX_CHUNK_FRAMES frames of at most MAX_FRAME_BYTES, in base64. */
const LIVENESS_BODY_LIMIT = Math.ceil(MAX_CHUNK_FRAMES * MAX_FRAME_BYTES * 1.37) + 4096;
const security = [{ sessionToken: [] }];
// Raw bodies arrive as Buffers (validated by sniffing the bytes), so their schema only documents them.
const RawImage = { description: 'The image bytes' };

function decodeImage(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (!body || typeof body !== 'object' || typeof (body as { base64Image?: unknown }).base64Image !== 'string') {
    throw new AppError('unsupported_media_type', 'Send the image as JSON {"base64Image": ...} or as image/jpeg, image/png or image/webp');
  }
  const encoded = (body as { base64Image: string }).base64Image.replace(/^data:[\w/+.-]+;base64,/, '');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded.replace(/\s+/g, ''))) throw new AppError('invalid_image', 'base64Image is not valid base64');
  return Buffer.from(encoded, 'base64');
}

/** The Omni-compatible capture endpoints, authenticated by the session token. */
export async function omniRoutes(app: FastifyInstance, options: OmniRoutesOptions): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { verification } = options;
  const bodyLimit = Math.ceil(options.maxImageBytes * 1.37) + 1024;
  // Every route here takes a session token: it is checked (and the limits applied) before the body is read.
  const uploadKinds = new Map<string, ImageKind>();
  app.addHook('onRequest', sessionGuardHook(verification, options.limits, uploadKinds));
  app.addHook('onSend', challengeOutcomeHook());
  app.addHook('onRoute', (route) => { route.bodyLimit ??= SMALL_BODY_LIMIT; });

  // Only JSON and image bodies: anything else is 415 before it reaches a handler.
  app.removeContentTypeParser('text/plain');
  for (const type of ['image/jpeg', 'image/png', 'image/webp']) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
  }

  async function session(request: FastifyRequest): Promise<VerificationSession> {
    return verification.authenticate(bearer(request));
  }

  api.post('/omni/consent', {
    bodyLimit: SMALL_BODY_LIMIT,
    schema: {
      tags: ['capture'], summary: 'The person\'s consent to the processing, before any capture', security,
      description: 'Images and liveness challenges are refused (409 consent_required) until the person agreed. Declining ends the session '
        + '(failed, reason consent_declined) before anything is collected. The hosted page shows the text and sends this itself.',
      body: ConsentBody, response: { 200: ConsentResponse, ...errors },
    },
  }, async (request) => {
    const updated = await verification.answerConsent(await session(request), request.body.accepted, request.body.version);
    return {
      interviewId: updated.interviewId, state: updated.state,
      consentAt: updated.consentAt === null ? null : new Date(updated.consentAt).toISOString(), consentVersion: updated.consentVersion,
    };
  });

  const addImage = (path: string, kind: ImageKind, summary: string) => uploadKinds.set(path, kind) && api.post(path, {
    bodyLimit,
    schema: {
      tags: ['capture'], summary, security,
      description: 'Body: JSON `{"base64Image": "..."}` (Omni-compatible) or the raw image with Content-Type image/jpeg, image/png or image/webp.',
      body: {
        content: {
          'application/json': { schema: ImageBody },
          'image/jpeg': { schema: RawImage }, 'image/png': { schema: RawImage }, 'image/webp': { schema: RawImage },
        },
      } as unknown as typeof ImageBody,
      response: { 200: ImageAddedResponse, ...errors },
    },
  }, async (request) => {
    const data = decodeImage(request.body);
    const updated = await verification.addImage(await session(request), kind, data);
    return { interviewId: updated.interviewId, state: updated.state, kind, bytes: data.length };
  });

  addImage('/omni/add/front-id', 'front', 'Upload the front of the ID document');
  addImage('/omni/add/back-id', 'back', 'Upload the back of the ID document');
  addImage('/omni/add/face', 'face', 'Upload the selfie');

  api.post('/omni/process/id', {
    schema: { tags: ['capture'], summary: 'Read and check the ID document', security, response: { 200: ProcessIdResponse, ...errors } },
  }, async (request) => {
    const { session: current, record, validation } = await verification.processId(await session(request));
    return {
      interviewId: current.interviewId,
      state: current.state,
      documentFound: record.fields !== null,
      mrzValid: record.mrzValid,
      dataValid: record.dataValid,
      overall: validation.overall,
      idSpecific: record.items,
      photoSecurityAndQuality: record.quality,
      reasons: record.reasons,
      messages: record.reasons.map(reasonMessage),
      retryable: record.retryable,
      attempts: current.documentAttempts,
    };
  });

  api.post('/omni/process/face', {
    schema: {
      tags: ['capture'], summary: 'Match the selfie (and liveness) to the document portrait or enrolled face and decide the session', security,
      response: { 200: ProcessFaceResponse, ...errors },
    },
  }, async (request) => {
    const { session: decided, retryReasons } = await verification.processFace(await session(request));
    const scores = decided.scores ?? emptyScores();
    const reasons = retryReasons.length > 0 ? retryReasons : reasonsForCaptureClient(decided.reasons);
    return {
      interviewId: decided.interviewId,
      state: decided.state,
      overall: retryReasons.length > 0 ? { value: null, status: 'UNKNOWN' as const } : scores.overall,
      similarity: retryReasons.length > 0 ? null : scores.faceRecognition.similarity,
      reasons,
      messages: reasons.map(reasonMessage),
      retryable: retryReasons.length > 0,
    };
  });

  api.post('/omni/liveness/challenge', {
    schema: {
      tags: ['capture'], summary: 'Start a random, single-use, time-limited liveness challenge: its first step', security,
      description: 'Every challenge issued counts as an attempt. Steps are revealed one at a time: perform the step, '
        + 'send its frames to /omni/add/liveness-frames with done: true, and the answer reveals the next step.',
      response: { 200: ChallengeResponse, ...errors, 429: ErrorResponse },
    },
  }, async (request) => {
    const challenge = await verification.issueChallenge(await session(request));
    return {
      challengeId: challenge.challengeId, totalSteps: challenge.totalSteps,
      step: { ...challenge.step, deadlineAt: new Date(challenge.step.deadlineAt).toISOString() },
      expiresAt: new Date(challenge.expiresAt).toISOString(), stepMinMs: STEP_MIN_MS, maxChunkFrames: MAX_CHUNK_FRAMES,
    };
  });

  api.post('/omni/add/liveness-frames', {
    bodyLimit: LIVENESS_BODY_LIMIT,
    schema: {
      tags: ['capture'], summary: 'Frames recorded while performing the revealed step; the server orders and times them', security,
      description: 'Send frames as they are recorded (done: false), then done: true when the step is finished. The server '
        + 'stamps every frame with the step and its own receipt time; a step finished too early or after its deadline, '
        + 'or a frame already used in another challenge, fails the challenge. After the last step the answer is the verdict.',
      body: ChallengeFramesBody, response: { 200: ChallengeStepResponse, ...errors, 404: ErrorResponse },
    },
  }, async (request) => {
    const { challengeId, step, done } = request.body;
    const frames = request.body.frames.map((f) => decodeImage(f));
    const result = await verification.submitChallengeFrames(await session(request), { challengeId, step, done, frames });
    if (result.status === 'IN_PROGRESS') {
      const next = result.next && { ...result.next, deadlineAt: new Date(result.next.deadlineAt).toISOString() };
      return { challengeId, status: result.status, next, reasons: [], messages: [], livenessScore: null };
    }
    return { challengeId, ...result, next: null, messages: result.reasons.map(reasonMessage) };
  });

  /** A result read by the API client that started the session (`?id=`), or null for a capture-token read. */
  async function apiRead(request: FastifyRequest, scope: 'sessions:read' | 'documents:read' = 'sessions:read'): Promise<VerificationSession | null> {
    if (!hasApiCredential(request)) return null;
    const id = (request.query as { id?: unknown }).id;
    if (typeof id !== 'string' || id.length === 0 || id.length > 64) {
      throw new AppError('validation_failed', 'Name the session with ?id=<interviewId>', { details: { field: 'querystring/id' } });
    }
    const caller = await authenticateApiCaller(request, options.apiAuth);
    requireScope(caller, 'sessions:read');
    if (scope !== 'sessions:read') requireScope(caller, scope);
    return sessionOfCaller(verification, caller, id);
  }

  const resultSecurity: Array<Record<string, string[]>> = [...security, { accessToken: [] }, { apiKey: [] }];

  api.get('/omni/get/score', {
    schema: {
      tags: ['results'], summary: 'Scores of every check (no personal data)', security: resultSecurity,
      description: 'With the capture token: the session\'s scores as the capture client may see them. With an API credential and `?id=`: the full scores.',
      response: { 200: ScoresResponse, ...errors, 403: ErrorResponse, 404: ErrorResponse },
    },
  }, async (request) => {
    const viaApi = await apiRead(request);
    if (viaApi) return { ...(await scoresForApiClient(verification, viaApi)), state: viaApi.state };
    const current = await verification.authenticateAllowingClosed(bearer(request));
    return { ...scoresForCaptureClient(current.scores ?? emptyScores()), state: current.state };
  });

  api.get('/omni/get/ocr-data', {
    schema: {
      tags: ['results'], summary: 'Data read from the document', security: resultSecurity,
      description: 'With the capture token: for the capture client to show the person what was read, while the session is open; once it is decided the capture token reads state and scores only (403 forbidden). '
        + 'With an API credential and `?id=`: until the retention period ends or the session is deleted.',
      response: { 200: OcrDataResponse, ...errors, 403: ErrorResponse, 404: ErrorResponse },
    },
  }, async (request) => {
    const viaApi = await apiRead(request, 'documents:read');
    const current = viaApi ?? await verification.authenticateAllowingClosed(bearer(request));
    if (!viaApi && !isOpen(current.state)) throw new AppError('forbidden', 'The session is decided: its document data is no longer readable with the capture token');
    const record = await verification.loadDocument(current);
    if (!record?.fields) throw new AppError('not_found', 'No document data has been read for this session yet');
    return record.fields;
  });
}
