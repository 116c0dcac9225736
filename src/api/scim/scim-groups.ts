import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/index.ts';
import type { GroupAttributes, GroupRecord, GroupRepository, GroupWriteResult, MemberChange } from '../../storage/index.ts';
import type { ApiCaller } from '../api-auth.ts';
import { bad, eqFilter, GROUP, HIDDEN, listResponse, pageOf, PATCH_OP, text, type Json } from './scim-messages.ts';

export interface ScimGroupRoutesOptions {
  groups: GroupRepository;
  /** Authenticates the SCIM client (scope `employees`). */
  caller(request: FastifyRequest): Promise<ApiCaller>;
  send(reply: FastifyReply, status: number, body: unknown): FastifyReply;
  publicUrl: string;
}

type Params = { Params: { id: string } };
type ListQuery = { Querystring: { filter?: string; startIndex?: string; count?: string; excludedAttributes?: string } };

/** A Group as SCIM returns it (RFC 7643 §4.2); members are the client's Users (employees). */
export function groupResource(group: GroupRecord, base: string, options: { members?: boolean } = {}): Json {
  return {
    schemas: [GROUP],
    id: group.id,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    displayName: group.displayName,
    ...(options.members === false ? {} : {
      members: group.memberIds.map((id) => ({ value: id, $ref: `${base}/scim/v2/Users/${id}`, type: 'User' })),
    }),
    meta: {
      resourceType: 'Group', created: new Date(group.createdAt).toISOString(), lastModified: new Date(group.updatedAt).toISOString(),
      location: `${base}/scim/v2/Groups/${group.id}`,
    },
  };
}

/** `members` of a request: [{value: "<User id>"}, …] (display, $ref and type are ignored). */
function memberIds(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > 10_000) throw bad('members is a list of {"value": "<User id>"}');
  return value.map((member) => {
    const id = text((member as Json | null)?.value, 128);
    if (!id) throw bad('members[].value is the id of a User');
    return id;
  });
}

function attributesOf(group: Json): GroupAttributes {
  const displayName = text(group.displayName, 200);
  if (!displayName) throw bad('displayName is required');
  return { displayName, externalId: text(group.externalId, 128) };
}

/** Okta removes one member with `members[value eq "<id>"]`; Entra with path `members` and a value list. */
const MEMBER_FILTER = /^members\[\s*value\s+eq\s+"([^"]+)"\s*\]$/i;

/**
 * Applies a PatchOp to a group (RFC 7644 §3.5.2) as Okta and Entra send it: members added and removed
 * as deltas (two concurrent pushes do not undo each other), a replaced member list as a whole.
 */
export function groupPatch(current: GroupRecord, body: Json): { attributes: GroupAttributes; members: MemberChange } {
  const ops = body.Operations;
  if (!Array.isArray(body.schemas) || !body.schemas.includes(PATCH_OP)) throw bad(`a PATCH body is a ${PATCH_OP}`, 'invalidSyntax');
  if (!Array.isArray(ops) || ops.length === 0) throw bad('a PatchOp needs Operations', 'invalidSyntax');
  const attributes: Json = { displayName: current.displayName, externalId: current.externalId };
  let set: Set<string> | undefined;
  const add = new Set<string>();
  const remove = new Set<string>();
  // Once the list is replaced, later ops edit the new list; until then they are deltas (the last op on an id wins).
  const addMembers = (ids: string[]) => {
    for (const id of ids) {
      if (set) set.add(id);
      else { add.add(id); remove.delete(id); }
    }
  };
  const removeMembers = (ids: string[]) => {
    for (const id of ids) {
      if (set) set.delete(id);
      else { remove.add(id); add.delete(id); }
    }
  };
  for (const raw of ops as Json[]) {
    const op = String(raw?.op ?? '').toLowerCase();
    const path = raw?.path === undefined || raw.path === null ? undefined : raw.path;
    if (!['add', 'replace', 'remove'].includes(op)) throw bad(`unsupported op ${op}`, 'invalidSyntax');
    if (path !== undefined && typeof path !== 'string') throw bad('path must be a string', 'invalidPath');
    const removed = typeof path === 'string' ? MEMBER_FILTER.exec(path.trim()) : null;
    if (path === undefined) {
      // Okta: {"op":"replace","value":{"id":"…","displayName":"…"}}; members in it replace the list.
      const value = raw.value;
      if (op === 'remove' || !value || typeof value !== 'object' || Array.isArray(value)) throw bad('an op without path needs an object value', 'invalidSyntax');
      for (const [key, v] of Object.entries(value as Json)) {
        if (key === 'displayName' || key === 'externalId') attributes[key] = v;
        else if (key === 'members' && op === 'add') addMembers(memberIds(v));
        else if (key === 'members') set = new Set(memberIds(v));
        else if (key !== 'id' && key !== 'schemas' && key !== 'meta') throw bad(`${key} cannot be changed`, 'invalidPath');
      }
    } else if (removed && op === 'remove') {
      removeMembers([removed[1]!]);
    } else if (path.toLowerCase() === 'members') {
      if (op === 'add') addMembers(memberIds(raw.value));
      else if (op === 'replace') set = new Set(memberIds(raw.value));
      else if (raw.value === undefined) set = new Set();
      else removeMembers(memberIds(raw.value));
    } else if (path === 'displayName' || path === 'externalId') {
      attributes[path] = op === 'remove' ? null : raw.value;
    } else {
      throw bad(`unsupported path ${path}`, 'invalidPath');
    }
  }
  return { attributes: attributesOf(attributes), members: set ? { set: [...set] } : { add: [...add], remove: [...remove] } };
}

/** The group a write saved, or the SCIM error for why it was not. */
function saved(result: GroupWriteResult): GroupRecord {
  switch (result.kind) {
    case 'saved': return result.group;
    case 'not_found': throw new AppError('not_found', 'No such group');
    case 'conflict': throw new AppError('conflict', 'a group with this displayName exists');
    case 'unknown_members': throw bad('members must be Users provisioned with this credential');
  }
}

/**
 * SCIM 2.0 Groups (RFC 7643 §4.2, RFC 7644) for Okta's and Entra's group push: the API client's
 * groups, whose members are its own Users. verid keeps them for the directory and returns them to the
 * client; no verification decision depends on them.
 */
export async function scimGroupRoutes(app: FastifyInstance, options: ScimGroupRoutesOptions): Promise<void> {
  const { groups, caller, send, publicUrl: base } = options;
  const find = async (who: ApiCaller, id: string) => {
    const group = await groups.find(who.clientId, id);
    if (!group) throw new AppError('not_found', 'No such group');
    return group;
  };
  const withMembers = (query: { excludedAttributes?: string }) => ({ members: !/(^|,)\s*members\s*(,|$)/i.test(query.excludedAttributes ?? '') });

  app.get<ListQuery>('/scim/v2/Groups', { schema: HIDDEN }, async (request, reply) => {
    const who = await caller(request);
    const filter = eqFilter(request.query.filter, ['displayName', 'externalId', 'id'] as const);
    const found = await groups.list(who.clientId, filter?.attribute === 'displayName' ? { displayName: filter.value }
      : filter?.attribute === 'externalId' ? { externalId: filter.value } : filter ? { id: filter.value } : undefined);
    return send(reply, 200, listResponse(found, pageOf(request.query), (g) => groupResource(g, base, withMembers(request.query))));
  });

  app.post<{ Body: Json }>('/scim/v2/Groups', { schema: HIDDEN }, async (request, reply) => {
    const who = await caller(request);
    const body = request.body ?? {};
    const group = saved(await groups.create(who.clientId, randomUUID(), attributesOf(body), memberIds(body.members)));
    return send(reply, 201, groupResource(group, base));
  });

  app.get<Params & ListQuery>('/scim/v2/Groups/:id', { schema: HIDDEN }, async (request, reply) => {
    const who = await caller(request);
    return send(reply, 200, groupResource(await find(who, request.params.id), base, withMembers(request.query)));
  });

  app.put<Params & { Body: Json }>('/scim/v2/Groups/:id', { schema: HIDDEN }, async (request, reply) => {
    const who = await caller(request);
    const body = request.body ?? {};
    const group = saved(await groups.update(who.clientId, request.params.id, attributesOf(body), { set: memberIds(body.members) }));
    return send(reply, 200, groupResource(group, base));
  });

  app.patch<Params & { Body: Json }>('/scim/v2/Groups/:id', { schema: HIDDEN }, async (request, reply) => {
    const who = await caller(request);
    const change = groupPatch(await find(who, request.params.id), request.body ?? {});
    const group = saved(await groups.update(who.clientId, request.params.id, change.attributes, change.members));
    return send(reply, 200, groupResource(group, base));
  });

  app.delete<Params>('/scim/v2/Groups/:id', { schema: HIDDEN }, async (request, reply) => {
    const who = await caller(request);
    if (!(await groups.delete(who.clientId, request.params.id))) throw new AppError('not_found', 'No such group');
    return reply.code(204).send();
  });
}
