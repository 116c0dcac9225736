import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { B2bService, VerificationRequest } from '../../b2b/b2b-service.ts';
import { AppError } from '../../errors/index.ts';
import type { EmployeeKey, EmployeeRecord } from '../../storage/index.ts';
import { emptyScores, isOpen, isVerified, onboardingStatusOf, type VerificationService, type VerificationSession } from '../../verification/index.ts';
import { authenticateApiCaller, requireScope, type ApiAuthDependencies, type ApiCaller } from '../api-auth.ts';
import { scoresForApiClient } from '../session-view.ts';
import { ErrorResponse } from '../omni/omni-schemas.ts';
import { decodeCursor, pageLimit, pageOf, stateAndTimeFilter } from '../query-params.ts';
import {
  EmployeeBody, EmployeeList, EmployeeView, PageQuery, RequestNewBody, VerificationBody, VerificationList, VerificationListQuery, VerificationView,
} from './b2b-schemas.ts';

export interface B2bRoutesOptions {
  b2b: B2bService;
  verification: VerificationService;
  auth: ApiAuthDependencies;
  publicUrl: string;
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 429: ErrorResponse };
const security: Array<Record<string, string[]>> = [{ accessToken: [] }, { apiKey: [] }];
const iso = (ms: number) => new Date(ms).toISOString();
const IdParams = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id'], additionalProperties: false } as const;

function employeeView(employee: EmployeeRecord) {
  return {
    id: employee.id, employeeId: employee.employeeId, email: employee.email, displayName: employee.displayName, phone: employee.phone,
    enrolled: employee.identityId !== null, identityId: employee.identityId, environment: employee.environment,
    createdAt: iso(employee.createdAt), updatedAt: iso(employee.updatedAt),
  };
}

function outcomeOf(session: VerificationSession): 'pending' | 'verified' | 'not_verified' | 'in_review' {
  if (isOpen(session.state)) return 'pending';
  if (session.state === 'pending_review') return 'in_review';
  return isVerified(session) ? 'verified' : 'not_verified';
}

/**
 * The B2B API: an organisation's help desk, PAM or ITSM system keeps its employees here and asks
 * verid to verify one now; the answer comes by polling, webhook, and as a signed receipt.
 */
export async function b2bRoutes(app: FastifyInstance, options: B2bRoutesOptions): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { b2b } = options;
  app.addHook('onRoute', (route) => { route.bodyLimit ??= 16 * 1024; });
  const caller = async (request: FastifyRequest, scope: 'employees' | 'verifications'): Promise<ApiCaller> => {
    const who = await authenticateApiCaller(request, options.auth);
    requireScope(who, scope);
    return who;
  };

  async function view(who: ApiCaller, session: VerificationSession, created?: { token: string }) {
    const employee = await b2b.employeeOf(who, session);
    const outcome = outcomeOf(session);
    const live = session.scores?.liveness.activeChallenge === 'OK';
    return {
      interviewId: session.interviewId,
      interviewCode: isOpen(session.state) ? session.interviewCode : null,
      ...(created ? { token: created.token, url: `${options.publicUrl}/verify#token=${created.token}` } : {}),
      status: session.state,
      onboardingStatus: onboardingStatusOf(session.state),
      outcome,
      mode: session.mode,
      reason: session.b2bReason,
      reference: session.externalId,
      environment: session.environment,
      employee: employee ? { id: employee.id, employeeId: employee.employeeId, displayName: employee.displayName } : null,
      identityId: outcome === 'verified' ? session.identityId : null,
      reasons: session.reasons,
      amr: outcome === 'verified' ? (live ? ['face', 'user'] : ['face']) : [],
      overall: (session.scores ?? emptyScores()).overall,
      scores: await scoresForApiClient(options.verification, session) as unknown as Record<string, unknown>,
      createdAt: iso(session.createdAt),
      expiresAt: iso(session.expiresAt),
      completedAt: session.completedAt === null ? null : iso(session.completedAt),
      receipt: await b2b.receipt(who, session, employee),
    };
  }

  api.post('/v1/employees', {
    schema: { tags: ['b2b'], summary: 'Create or update an employee (upsert by employeeId, else email)', security, body: EmployeeBody, response: { 200: EmployeeView, 201: EmployeeView, ...errors } },
  }, async (request, reply) => {
    const who = await caller(request, 'employees');
    const body = request.body;
    const { employee, created } = await b2b.upsertEmployee(who, {
      employeeId: body.employeeId ?? null, email: body.email ?? null, displayName: body.displayName.trim(), phone: body.phone ?? null,
    });
    return reply.code(created ? 201 : 200).send(employeeView(employee));
  });

  api.get('/v1/employees/:id', {
    schema: { tags: ['b2b'], summary: 'One employee', security, params: IdParams, response: { 200: EmployeeView, ...errors } },
  }, async (request) => employeeView(await b2b.employee(await caller(request, 'employees'), { id: (request.params as { id: string }).id })));

  api.get('/v1/employees', {
    schema: { tags: ['b2b'], summary: 'The client\'s employees, newest first', security, querystring: PageQuery, response: { 200: EmployeeList, ...errors } },
  }, async (request) => {
    const who = await caller(request, 'employees');
    const limit = pageLimit(request.query.limit);
    const after = request.query.cursor === undefined ? undefined : decodeCursor(request.query.cursor);
    const rows = await b2b.listEmployees(who, limit + 1, after && { createdAt: after.createdAt, id: after.interviewId });
    const { page, nextCursor } = pageOf(rows, limit, (employee) => ({ createdAt: employee.createdAt, interviewId: employee.id }));
    return { data: page.map(employeeView), nextCursor };
  });

  api.delete('/v1/employees/:id', {
    schema: {
      tags: ['b2b'], summary: 'Remove an employee and erase the biometric data bound to them', security, params: IdParams,
      response: { 200: { type: 'object', properties: { id: { type: 'string' }, deleted: { type: 'boolean' } } }, ...errors },
    },
  }, async (request) => {
    const { id } = request.params as { id: string };
    await b2b.deleteEmployee(await caller(request, 'employees'), id);
    return { id, deleted: true };
  });

  async function requestVerification(request: FastifyRequest, input: VerificationRequest) {
    const who = await caller(request, 'verifications');
    const { session, token } = await b2b.request(who, input);
    return view(who, session, { token });
  }

  api.post('/v1/verifications', {
    schema: {
      tags: ['b2b'], summary: 'Verify an employee now: a selfie against their bound face, or document + selfie the first time', security,
      body: VerificationBody, response: { 201: VerificationView, ...errors },
    },
  }, async (request, reply) => {
    const body = request.body;
    return reply.code(201).send(await requestVerification(request, {
      employee: body.employee as EmployeeKey, reason: body.reason, reference: body.reference ?? null, mode: body.mode ?? 'auto',
      notification: body.notification ?? 'NONE', expiresInSeconds: body.expiresIn ?? null,
    }));
  });

  api.post('/omni/b2b/onboarding/request-new', {
    schema: {
      tags: ['b2b'], summary: 'Omni-shaped B2B request: loginHint names the employee (e-mail or employeeId)', security,
      body: RequestNewBody, response: { 200: VerificationView, ...errors },
    },
  }, async (request) => {
    const body = request.body;
    const hint = body.loginHint.trim();
    return requestVerification(request, {
      employee: hint.includes('@') ? { email: hint } : { employeeId: hint }, reason: body.reason ?? 'other', reference: body.integrationReference ?? null,
      mode: 'auto', notification: body.notification?.type ?? 'NONE', expiresInSeconds: null,
    });
  });

  api.get('/v1/verifications/:id', {
    schema: { tags: ['b2b'], summary: 'A verification: status, outcome, employee, receipt once decided', security, params: IdParams, response: { 200: VerificationView, ...errors } },
  }, async (request) => {
    const who = await caller(request, 'verifications');
    return view(who, await b2b.session(who, (request.params as { id: string }).id));
  });

  api.get('/v1/verifications', {
    schema: { tags: ['b2b'], summary: 'The client\'s verifications, newest first, filtered', security, querystring: VerificationListQuery, response: { 200: VerificationList, ...errors } },
  }, async (request) => {
    const who = await caller(request, 'verifications');
    const q = request.query;
    const limit = pageLimit(q.limit);
    const filter = {
      origin: 'b2b' as const,
      ...(q.employee !== undefined ? { employeeId: q.employee } : {}),
      ...(q.reason !== undefined ? { b2bReason: q.reason } : {}),
      ...stateAndTimeFilter(q),
    };
    const rows = await options.verification.listForClient(who.clientId, filter, limit + 1, q.cursor === undefined ? undefined : decodeCursor(q.cursor));
    const { page, nextCursor } = pageOf(rows, limit, (session) => session);
    return { data: await Promise.all(page.map((session) => view(who, session))), nextCursor };
  });

  api.post('/v1/verifications/:id/cancel', {
    schema: { tags: ['b2b'], summary: 'Withdraw an open request (its link stops working)', security, params: IdParams, response: { 200: VerificationView, ...errors } },
  }, async (request) => {
    const who = await caller(request, 'verifications');
    const cancelled = await b2b.cancel(who, (request.params as { id: string }).id);
    if (!cancelled) throw new AppError('not_found', 'No verification with this id for this client');
    return view(who, cancelled);
  });
}
