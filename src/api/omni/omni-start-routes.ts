import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '../../errors/index.ts';
import { validateRedirectUri } from '../../oidc/client-registration.ts';
import { onboardingStatusOf, type VerificationService } from '../../verification/index.ts';
import { authenticateApiCaller, requireScope, type ApiAuthDependencies, type ApiCaller } from '../api-auth.ts';
import { sessionOfCaller, sessionView, verifiedIdentity } from '../session-view.ts';
import { decodeCursor, pageLimit, pageOf, stateAndTimeFilter } from '../query-params.ts';
import { ErrorResponse } from './omni-schemas.ts';
import {
  ActionResponse, ImagesResponse, InterviewQuery, OmniStartBody, OmniStartResponse, OnboardingStatusResponse, ResendResponse, SessionListQuery,
  SessionListResponse, SessionView, StatusSetQuery,
} from './omni-start-schemas.ts';

export interface OmniStartRoutesOptions {
  verification: VerificationService;
  auth: ApiAuthDependencies;
  /** Base URL of the hosted page (the issuer). */
  publicUrl: string;
  sessionTtlSeconds: number;
  /** Channels verid can send the link through (EMAIL with SMTP configured, SMS with a provider). */
  deliveryChannels: ReadonlySet<'EMAIL' | 'SMS'>;
  /** Tries per link delivery (VERID_LINK_DELIVERY_ATTEMPTS). */
  linkDeliveryAttempts: number;
}

const errors = {
  400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 429: ErrorResponse,
};
const security: Array<Record<string, string[]>> = [{ accessToken: [] }, { apiKey: [] }];

/**
 * The server-to-server side of the Omni API: an API client starts a session for a person and
 * reads its outcome. Every route takes an API credential (access token from client_credentials,
 * or `x-api-key`) and sees only the sessions that client started.
 */
export async function omniStartRoutes(app: FastifyInstance, options: OmniStartRoutesOptions): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { verification } = options;
  app.addHook('onRoute', (route) => { route.bodyLimit ??= 16 * 1024; });
  const caller = (request: FastifyRequest): Promise<ApiCaller> => authenticateApiCaller(request, options.auth);

  /** The identity was verified in one of the caller's own sessions, and has a face to compare with. */
  async function assertOwnIdentity(who: ApiCaller, identityId: string): Promise<void> {
    const own = await verification.listForClient(who.clientId, { identityId, states: ['succeeded', 'approved', 'closed'] }, 5);
    if (!own.some((session) => verifiedIdentity(session) === identityId)) {
      throw new AppError('not_found', 'No identity with this id was verified in a session of this client', { details: { field: 'body/identityId' } });
    }
    if (!(await verification.reverifiableIdentity(identityId))) {
      throw new AppError('invalid_state', 'This identity has no enrolled face any more (erased): start an enrolment', { details: { field: 'body/identityId' } });
    }
  }

  api.post('/omni/start', {
    schema: {
      tags: ['api'], summary: 'Start a verification for a person; verid returns the link (and sends it, with notification EMAIL or SMS)', security,
      body: OmniStartBody, response: { 200: OmniStartResponse, ...errors },
    },
  }, async (request) => {
    const who = await caller(request);
    requireScope(who, 'omni:start');
    const body = request.body;
    const configurationId = body.configurationId ?? 'default';
    const flow = verification.flows.get(configurationId);
    if (!flow) {
      throw new AppError('validation_failed', `unknown configurationId; configured: ${[...verification.flows.keys()].join(', ')}`, { details: { field: 'body/configurationId' } });
    }
    // Selfie-only only against an identity this client verified itself (docs/security.md, "API clients").
    const identityId = body.identityId ?? null;
    if (identityId && flow.mode === 'enroll') {
      throw new AppError('validation_failed', `the ${configurationId} flow enrols with a document; re-verifying an identity needs a flow with mode reverify or auto`, { details: { field: 'body/identityId' } });
    }
    if (!identityId && flow.mode === 'reverify') {
      throw new AppError('validation_failed', `the ${configurationId} flow re-verifies: name the identityId`, { details: { field: 'body/identityId' } });
    }
    if (identityId) await assertOwnIdentity(who, identityId);
    if (flow.requireExpectedName && !body.candidate?.name) {
      throw new AppError('validation_failed', `the ${configurationId} flow needs candidate.name (the name the document must match)`, { details: { field: 'body/candidate/name' } });
    }
    if (body.redirectionUrl !== undefined) {
      try {
        validateRedirectUri(body.redirectionUrl, who.environment);
      } catch (error) {
        throw new AppError('validation_failed', (error as Error).message, { details: { field: 'body/redirectionUrl' } });
      }
    }
    if (body.demo && who.environment !== 'demo') {
      throw new AppError('validation_failed', 'demo settings are for demo clients only', { details: { field: 'body/demo' } });
    }
    const notification = body.notification ?? 'NONE';
    if (notification === 'EMAIL' && !body.candidate?.email) {
      throw new AppError('validation_failed', 'notification EMAIL needs candidate.email', { details: { field: 'body/candidate/email' } });
    }
    if (notification === 'SMS' && !body.candidate?.phone) {
      throw new AppError('validation_failed', 'notification SMS needs candidate.phone', { details: { field: 'body/candidate/phone' } });
    }
    if (notification !== 'NONE' && !options.deliveryChannels.has(notification)) {
      throw new AppError('validation_failed', `this server cannot send links by ${notification}: it has no ${notification === 'EMAIL' ? 'SMTP server' : 'SMS provider'} configured; use NONE and deliver url yourself`,
        { details: { field: 'body/notification' } });
    }
    const { session, token } = await verification.start({
      origin: 'omni', mode: identityId ? 'reverify' : 'enroll', identityId, environment: who.environment, clientId: who.clientId, interactionUid: null, loginHint: null,
      externalId: body.externalId ?? null, externalCustomerId: body.externalCustomerId ?? null, configurationId,
      redirectionUrl: body.redirectionUrl ?? flow.redirectionUrl, notification, expectedName: body.candidate?.name ?? null,
      candidate: body.candidate && (body.candidate.email || body.candidate.phone || body.candidate.name) ? body.candidate : null,
      language: body.language ?? null,
      // The delivery job is queued in the session's own transaction: no session misses its link.
      linkDelivery: notification === 'NONE' ? null : { maxAttempts: options.linkDeliveryAttempts },
      ttlSeconds: body.demo?.expiresInSeconds ?? flow.linkTtlSeconds ?? options.sessionTtlSeconds,
    });
    return {
      token, interviewId: session.interviewId, interviewCode: session.interviewCode,
      url: `${options.publicUrl}/verify#token=${token}`, env: session.environment, expiresAt: new Date(session.expiresAt).toISOString(),
    };
  });

  api.post('/omni/start/resend', {
    schema: {
      tags: ['api'], summary: 'Send an open session\'s link again, through its channel (the same link); 409 once the session is decided or expired', security,
      querystring: InterviewQuery, response: { 200: ResendResponse, ...errors },
    },
  }, async (request) => {
    const who = await caller(request);
    requireScope(who, 'omni:start');
    const session = await sessionOfCaller(verification, who, request.query.id);
    await verification.resendLink(session, options.linkDeliveryAttempts);
    const after = await sessionOfCaller(verification, who, session.interviewId);
    return { interviewId: after.interviewId, delivery: after.delivery! };
  });

  api.get('/v1/sessions/:interviewId', {
    schema: {
      tags: ['api'], summary: 'One session: state, onboarding status, reasons (no personal data)', security,
      params: { type: 'object', properties: { interviewId: { type: 'string', maxLength: 64 } }, required: ['interviewId'] } as const,
      response: { 200: SessionView, ...errors },
    },
  }, async (request) => {
    const who = await caller(request);
    requireScope(who, 'sessions:read');
    return sessionView(await sessionOfCaller(verification, who, (request.params as { interviewId: string }).interviewId));
  });

  api.get('/v1/sessions', {
    schema: {
      tags: ['api'], summary: 'The client\'s sessions, newest first, cursor-paginated', security,
      querystring: SessionListQuery, response: { 200: SessionListResponse, ...errors },
    },
  }, async (request) => {
    const who = await caller(request);
    requireScope(who, 'sessions:read');
    const q = request.query;
    const limit = pageLimit(q.limit);
    const filter = { ...stateAndTimeFilter(q), ...(q.externalId !== undefined ? { externalId: q.externalId } : {}) };
    // A client's sessions are all of its environment: asking for the other one lists none.
    const rows = q.environment !== undefined && q.environment !== who.environment ? []
      : await verification.listForClient(who.clientId, filter, limit + 1, q.cursor === undefined ? undefined : decodeCursor(q.cursor));
    const { page, nextCursor } = pageOf(rows, limit, (session) => session);
    return { data: page.map(sessionView), nextCursor };
  });

  api.get('/omni/get/onboarding/status', {
    schema: {
      tags: ['api'], summary: 'Where the person is in the flow (Omni values)', security,
      querystring: InterviewQuery, response: { 200: OnboardingStatusResponse, ...errors },
    },
  }, async (request) => {
    const who = await caller(request);
    requireScope(who, 'sessions:read');
    const session = await sessionOfCaller(verification, who, request.query.id);
    return { interviewId: session.interviewId, onboardingStatus: onboardingStatusOf(session.state), state: session.state, env: session.environment };
  });

  api.get('/omni/get/images', {
    schema: {
      tags: ['api'], summary: 'The images kept for the session (until the retention period ends or the session is deleted)', security,
      querystring: InterviewQuery, response: { 200: ImagesResponse, ...errors },
    },
  }, async (request) => {
    const who = await caller(request);
    requireScope(who, 'sessions:read');
    requireScope(who, 'documents:read');
    const session = await sessionOfCaller(verification, who, request.query.id);
    return { interviewId: session.interviewId, images: await verification.loadImages(session) };
  });

  api.post('/omni/session/status/set', {
    schema: {
      tags: ['api'], summary: 'Close a decided session (Omni `action=Closed`)', security,
      querystring: StatusSetQuery, response: { 200: ActionResponse, ...errors },
    },
  }, async (request) => {
    const who = await caller(request);
    requireScope(who, 'sessions:close');
    const session = await sessionOfCaller(verification, who, request.query.id);
    const closed = await verification.close(session.interviewId);
    return { success: true, interviewId: closed.interviewId, state: closed.state };
  });

  api.delete('/omni/interview', {
    schema: {
      tags: ['api'], summary: 'Erase the session\'s personal data now (images, document data, candidate); a non-PII record stays', security,
      querystring: InterviewQuery, response: { 200: ActionResponse, ...errors },
    },
  }, async (request) => {
    const who = await caller(request);
    requireScope(who, 'sessions:delete');
    const session = await sessionOfCaller(verification, who, request.query.id);
    await verification.eraseSession(session.interviewId);
    const after = await sessionOfCaller(verification, who, session.interviewId);
    return { success: true, interviewId: after.interviewId, state: after.state };
  });
}
