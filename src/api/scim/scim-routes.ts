import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { B2bService } from '../../b2b/b2b-service.ts';
import { AppError, toAppError } from '../../errors/index.ts';
import { userNameOf, type Directory, type EmployeeRecord, type GroupRepository } from '../../storage/index.ts';
import { authenticateApiCaller, requireScope, type ApiAuthDependencies, type ApiCaller } from '../api-auth.ts';
import { bad, ENTERPRISE, eqFilter, ERROR, HIDDEN, listResponse, pageOf, pageSlice, PATCH_OP, text, USER, type Json } from './scim-messages.ts';
import { scimGroupRoutes } from './scim-groups.ts';

export interface ScimRoutesOptions {
  b2b: B2bService;
  groups: GroupRepository;
  auth: ApiAuthDependencies;
  publicUrl: string;
}

const E164 = /^\+[1-9][0-9]{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** SCIM's boolean: Entra sends "True"/"False" strings in PATCH. */
function bool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw bad('active must be true or false');
}

function first(list: unknown, pick: (item: Json) => boolean = () => true): Json | undefined {
  if (!Array.isArray(list)) return undefined;
  const items = list.filter((item): item is Json => Boolean(item) && typeof item === 'object');
  return items.find((item) => item.primary === true && pick(item)) ?? items.find(pick);
}

/** A SCIM User as the directory verid keeps (RFC 7643 §4.1; the enterprise employeeNumber is the employeeId). */
export function directoryOf(user: Json): Directory {
  const userName = text(user.userName, 254);
  if (!userName) throw bad('userName is required', 'invalidValue');
  const name = (user.name && typeof user.name === 'object' ? user.name : {}) as Json;
  const enterprise = (user[ENTERPRISE] && typeof user[ENTERPRISE] === 'object' ? user[ENTERPRISE] : {}) as Json;
  const givenName = text(name.givenName, 100);
  const familyName = text(name.familyName, 100);
  const email = text(first(user.emails)?.value) ?? (EMAIL.test(userName) ? userName : null);
  if (email !== null && !EMAIL.test(email)) throw bad('emails[].value is not an e-mail address');
  const phone = text(first(user.phoneNumbers)?.value, 32);
  const displayName = text(user.displayName, 200) ?? text(name.formatted, 200) ?? ([givenName, familyName].filter(Boolean).join(' ') || null);
  if (!displayName) throw bad('a name is required: displayName, name.formatted or name.givenName/familyName');
  return {
    employeeId: text(enterprise.employeeNumber, 128) ?? userName,
    email,
    displayName,
    phone: phone && E164.test(phone.replace(/[\s()-]/g, '')) ? phone.replace(/[\s()-]/g, '') : null,
    scim: { userName, externalId: text(user.externalId, 128), givenName, familyName, active: user.active === undefined ? true : bool(user.active) },
  };
}

/** The read-only `groups` of a User (RFC 7643 §4.1.2): the client's groups the employee is a member of. */
type UserGroups = Array<{ id: string; displayName: string }>;

function userOf(employee: EmployeeRecord, base: string, groups: UserGroups = []): Json {
  const scim = employee.scim ?? { userName: userNameOf(employee, employee.id), externalId: null, givenName: null, familyName: null, active: true };
  return {
    schemas: [USER, ENTERPRISE],
    id: employee.id,
    ...(scim.externalId ? { externalId: scim.externalId } : {}),
    userName: scim.userName,
    name: { formatted: employee.displayName, ...(scim.givenName ? { givenName: scim.givenName } : {}), ...(scim.familyName ? { familyName: scim.familyName } : {}) },
    displayName: employee.displayName,
    ...(employee.email ? { emails: [{ value: employee.email, type: 'work', primary: true }] } : {}),
    ...(employee.phone ? { phoneNumbers: [{ value: employee.phone, type: 'work' }] } : {}),
    active: scim.active,
    [ENTERPRISE]: employee.employeeId ? { employeeNumber: employee.employeeId } : {},
    ...(groups.length > 0 ? { groups: groups.map((g) => ({ value: g.id, display: g.displayName, $ref: `${base}/scim/v2/Groups/${g.id}`, type: 'direct' })) } : {}),
    meta: {
      resourceType: 'User', created: new Date(employee.createdAt).toISOString(), lastModified: new Date(employee.updatedAt).toISOString(),
      location: `${base}/scim/v2/Users/${employee.id}`,
    },
  };
}

/** Applies a PatchOp (replace/add/remove of the attributes verid keeps; Okta's and Entra's shapes). */
export function patched(user: Json, body: Json): Json {
  const ops = body.Operations;
  if (!Array.isArray(ops) || ops.length === 0) throw bad('a PatchOp needs Operations', 'invalidSyntax');
  const next: Json = structuredClone(user);
  for (const raw of ops) {
    const op = String((raw as Json)?.op ?? '').toLowerCase();
    const path = (raw as Json)?.path;
    const value = (raw as Json)?.value;
    if (!['add', 'replace', 'remove'].includes(op)) throw bad(`unsupported op ${String(op)}`, 'invalidSyntax');
    if (path === undefined || path === null) {
      if (op === 'remove' || !value || typeof value !== 'object') throw bad('an op without path needs an object value', 'invalidSyntax');
      for (const [key, v] of Object.entries(value as Json)) setPath(next, key, v);
    } else if (typeof path === 'string') {
      setPath(next, path, op === 'remove' ? null : value);
    } else {
      throw bad('path must be a string', 'invalidPath');
    }
  }
  return next;
}

function setPath(user: Json, path: string, value: unknown): void {
  const emailPath = /^emails(\[.*\])?(\.value)?$/i;
  const phonePath = /^phoneNumbers(\[.*\])?(\.value)?$/i;
  const key = path.replace(`${ENTERPRISE}:`, 'enterprise.');
  if (emailPath.test(key)) {
    user.emails = value === null ? [] : Array.isArray(value) ? value : [{ value, primary: true }];
  } else if (phonePath.test(key)) {
    user.phoneNumbers = value === null ? [] : Array.isArray(value) ? value : [{ value }];
  } else if (/^name\.(givenName|familyName|formatted)$/.test(key)) {
    user.name = { ...((user.name as Json) ?? {}), [key.slice(5)]: value };
  } else if (key === 'name') {
    user.name = value;
  } else if (key === 'enterprise.employeeNumber') {
    user[ENTERPRISE] = { ...((user[ENTERPRISE] as Json) ?? {}), employeeNumber: value };
  } else if (['userName', 'displayName', 'externalId', 'active'].includes(key)) {
    user[key] = value;
  } else if (key !== 'schemas' && key !== 'id' && key !== 'meta') {
    // Attributes verid does not keep (title, locale, groups, …) are accepted and ignored.
  }
}

/**
 * SCIM 2.0 (RFC 7643/7644) Users for directory sync from Okta and Entra: the B2B employees of the
 * API client whose credential is used (scope `employees`; Okta and Entra send the API key as a
 * static bearer token). Deprovisioning — active=false or DELETE — erases the biometric data bound
 * to the person.
 */
export async function scimRoutes(app: FastifyInstance, options: ScimRoutesOptions): Promise<void> {
  const { b2b } = options;
  app.addContentTypeParser(['application/scim+json'], { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    try {
      done(null, JSON.parse(String(body)));
    } catch {
      done(new AppError('invalid_request', 'The request body is not valid JSON', { details: { scimType: 'invalidSyntax' } }), undefined);
    }
  });
  app.addHook('onRoute', (route) => { route.bodyLimit ??= 64 * 1024; });
  app.setErrorHandler((error, _request, reply) => {
    const appError = toAppError(error);
    const scimType = appError.code === 'conflict' ? 'uniqueness' : (appError.details?.scimType as string | undefined);
    return reply.code(appError.status).type('application/scim+json').send({
      schemas: [ERROR], status: String(appError.status), ...(scimType ? { scimType } : {}), detail: appError.expose ? appError.message : 'Internal server error',
    });
  });
  const caller = async (request: FastifyRequest): Promise<ApiCaller> => {
    const who = await authenticateApiCaller(request, options.auth);
    requireScope(who, 'employees');
    return who;
  };
  const send = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).type('application/scim+json').send(body);
  const base = options.publicUrl;
  const userResource = async (who: ApiCaller, employee: EmployeeRecord) =>
    userOf(employee, base, (await options.groups.groupsOf(who.clientId, [employee.id])).get(employee.id));

  app.get('/scim/v2/ServiceProviderConfig', { schema: HIDDEN }, async (request, reply) => {
    await caller(request);
    return send(reply, 200, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true }, bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 }, filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false }, sort: { supported: false }, etag: { supported: false },
      authenticationSchemes: [{ type: 'oauthbearertoken', name: 'Bearer token', description: 'The API client\'s api_key (<client_id>.<client_secret>) or a client_credentials access token' }],
    });
  });

  app.get<{ Querystring: { filter?: string; startIndex?: string; count?: string } }>('/scim/v2/Users', { schema: HIDDEN }, async (request, reply) => {
    const who = await caller(request);
    const page = pageOf(request.query);
    const filter = eqFilter(request.query.filter, ['userName', 'externalId', 'emails', 'emails.value'] as const);
    let users: EmployeeRecord[];
    // The lookups a provider makes before every create are indexed (userName, e-mail); externalId is
    // rare and read from the directory.
    if (filter?.attribute === 'userName') users = await b2b.employeesByUserName(who, filter.value);
    else if (filter && filter.attribute !== 'externalId') {
      const byEmail = await b2b.employee(who, { email: filter.value }).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'not_found') return undefined;
        throw error;
      });
      users = byEmail ? [byEmail] : [];
    } else {
      users = (await b2b.listEmployees(who, 10_000)).reverse();
      if (filter) users = users.filter((e) => e.scim?.externalId === filter.value);
    }
    const groups = await options.groups.groupsOf(who.clientId, pageSlice(users, page).map((e) => e.id));
    return send(reply, 200, listResponse(users, page, (e) => userOf(e, base, groups.get(e.id))));
  });

  app.post<{ Body: Json }>('/scim/v2/Users', { schema: HIDDEN }, async (request, reply) => {
    const who = await caller(request);
    const directory = directoryOf(request.body ?? {});
    const existing = await b2b.employee(who, { employeeId: directory.employeeId! }).catch(() => undefined);
    if (existing) throw new AppError('conflict', 'a user with this userName (or employeeNumber) exists');
    const { employee } = await b2b.upsertEmployee(who, directory);
    return send(reply, 201, userOf(employee, base));
  });

  app.get<{ Params: { id: string } }>('/scim/v2/Users/:id', { schema: HIDDEN }, async (request, reply) => {
    const who = await caller(request);
    return send(reply, 200, await userResource(who, await b2b.employee(who, { id: request.params.id })));
  });

  async function replaceUser(who: ApiCaller, id: string, user: Json): Promise<EmployeeRecord> {
    const before = await b2b.employee(who, { id });
    const directory = directoryOf(user);
    const updated = await b2b.replaceEmployee(who, id, directory);
    if (before.scim?.active !== false && directory.scim?.active === false) await b2b.deactivateEmployee(who, id);
    return b2b.employee(who, { id: updated.id });
  }

  app.put<{ Params: { id: string }; Body: Json }>('/scim/v2/Users/:id', { schema: HIDDEN }, async (request, reply) => {
    const who = await caller(request);
    return send(reply, 200, await userResource(who, await replaceUser(who, request.params.id, request.body ?? {})));
  });

  app.patch<{ Params: { id: string }; Body: Json }>('/scim/v2/Users/:id', { schema: HIDDEN }, async (request, reply) => {
    const who = await caller(request);
    const body = request.body ?? {};
    if (!Array.isArray(body.schemas) || !body.schemas.includes(PATCH_OP)) throw bad(`a PATCH body is a ${PATCH_OP}`, 'invalidSyntax');
    const current = userOf(await b2b.employee(who, { id: request.params.id }), base);
    return send(reply, 200, await userResource(who, await replaceUser(who, request.params.id, patched(current, body))));
  });

  app.delete<{ Params: { id: string } }>('/scim/v2/Users/:id', { schema: HIDDEN }, async (request, reply) => {
    const who = await caller(request);
    await b2b.deleteEmployee(who, request.params.id);
    return reply.code(204).send();
  });

  await scimGroupRoutes(app, { groups: options.groups, caller, send, publicUrl: base });
}
