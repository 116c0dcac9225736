import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, ScimGroupTable } from './database-schema.ts';
import { isUniqueViolation } from './unique-violation.ts';

/** A SCIM Group of an API client; its members are ids of the same client's employees. */
export interface GroupRecord {
  id: string;
  clientId: string;
  displayName: string;
  externalId: string | null;
  memberIds: string[];
  createdAt: number;
  updatedAt: number;
}

export interface GroupAttributes {
  displayName: string;
  externalId: string | null;
}

/** What a change asks of the members: a whole new list, or ids to add and ids to remove. */
export type MemberChange = { set: string[] } | { add: string[]; remove: string[] };

export type GroupWriteResult =
  | { kind: 'saved'; group: GroupRecord }
  | { kind: 'not_found' }
  /** Another group of the client has this displayName. */
  | { kind: 'conflict' }
  /** Member ids that are not employees of the client (another client's employees included). */
  | { kind: 'unknown_members'; ids: string[] };

export type GroupFilter = { displayName: string } | { externalId: string } | { id: string };

/** Thrown inside a transaction to roll it back with a result the caller branches on. */
class Refused extends Error {
  readonly result: GroupWriteResult;
  constructor(result: GroupWriteResult) {
    super(result.kind);
    this.result = result;
  }
}

/** An API client's SCIM Groups and their membership (both dialects; membership goes with a deleted employee). */
export class GroupRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async #records(db: Kysely<Database>, rows: Array<Selectable<ScimGroupTable>>): Promise<GroupRecord[]> {
    if (rows.length === 0) return [];
    const members = await db.selectFrom('scim_group_members').select(['group_id', 'employee_id'])
      .where('group_id', 'in', rows.map((row) => row.id)).orderBy('employee_id').execute();
    return rows.map((row) => ({
      id: row.id, clientId: row.client_id, displayName: row.display_name, externalId: row.external_id,
      memberIds: members.filter((m) => m.group_id === row.id).map((m) => m.employee_id),
      createdAt: Number(row.created_at), updatedAt: Number(row.updated_at),
    }));
  }

  async find(clientId: string, id: string): Promise<GroupRecord | undefined> {
    return (await this.list(clientId, { id }))[0];
  }

  /** The client's groups, oldest first, optionally those matching one attribute exactly (displayName case-insensitively). */
  async list(clientId: string, filter?: GroupFilter, db: Kysely<Database> = this.#db): Promise<GroupRecord[]> {
    let query = db.selectFrom('scim_groups').selectAll().where('client_id', '=', clientId);
    if (filter && 'id' in filter) query = query.where('id', '=', filter.id);
    else if (filter && 'externalId' in filter) query = query.where('external_id', '=', filter.externalId);
    else if (filter) query = query.where((eb) => eb(eb.fn('lower', ['display_name']), '=', filter.displayName.toLowerCase()));
    return this.#records(db, await query.orderBy('created_at').orderBy('id').execute());
  }

  async create(clientId: string, id: string, attributes: GroupAttributes, memberIds: string[], now = Date.now()): Promise<GroupWriteResult> {
    return this.#write(async (trx) => {
      await trx.insertInto('scim_groups').values({
        id, client_id: clientId, display_name: attributes.displayName, external_id: attributes.externalId, created_at: now, updated_at: now,
      }).execute();
      await this.#addMembers(trx, clientId, id, memberIds);
      return id;
    }, clientId);
  }

  /** Replaces the attributes (when given) and changes the members, in one transaction. */
  async update(clientId: string, id: string, attributes: GroupAttributes | undefined, members: MemberChange, now = Date.now()): Promise<GroupWriteResult> {
    return this.#write(async (trx) => {
      const result = await trx.updateTable('scim_groups').set({ ...(attributes ? { display_name: attributes.displayName, external_id: attributes.externalId } : {}), updated_at: now })
        .where('client_id', '=', clientId).where('id', '=', id).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new Refused({ kind: 'not_found' });
      if ('set' in members) await trx.deleteFrom('scim_group_members').where('group_id', '=', id).execute();
      else if (members.remove.length > 0) {
        await trx.deleteFrom('scim_group_members').where('group_id', '=', id).where('employee_id', 'in', members.remove).execute();
      }
      await this.#addMembers(trx, clientId, id, 'set' in members ? members.set : members.add);
      return id;
    }, clientId);
  }

  async delete(clientId: string, id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('scim_groups').where('client_id', '=', clientId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /** The groups each of the client's employees belongs to (for a User's read-only `groups`). */
  async groupsOf(clientId: string, employeeIds: string[]): Promise<Map<string, Array<{ id: string; displayName: string }>>> {
    const byEmployee = new Map<string, Array<{ id: string; displayName: string }>>();
    if (employeeIds.length === 0) return byEmployee;
    const rows = await this.#db.selectFrom('scim_group_members').innerJoin('scim_groups', 'scim_groups.id', 'scim_group_members.group_id')
      .select(['scim_group_members.employee_id', 'scim_groups.id', 'scim_groups.display_name'])
      .where('scim_groups.client_id', '=', clientId).where('scim_group_members.employee_id', 'in', employeeIds)
      .orderBy('scim_groups.display_name').execute();
    for (const row of rows) {
      byEmployee.set(row.employee_id, [...(byEmployee.get(row.employee_id) ?? []), { id: row.id, displayName: row.display_name }]);
    }
    return byEmployee;
  }

  /** Adds members that are the client's employees; refuses the whole write when one is not. */
  async #addMembers(trx: Transaction<Database>, clientId: string, groupId: string, memberIds: string[]): Promise<void> {
    const wanted = [...new Set(memberIds)];
    if (wanted.length === 0) return;
    const known = new Set((await trx.selectFrom('employees').select('id').where('client_id', '=', clientId).where('id', 'in', wanted).execute()).map((row) => row.id));
    const unknown = wanted.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new Refused({ kind: 'unknown_members', ids: unknown });
    await trx.insertInto('scim_group_members').values(wanted.map((employeeId) => ({ group_id: groupId, employee_id: employeeId })))
      .onConflict((oc) => oc.doNothing()).execute();
  }

  async #write(work: (trx: Transaction<Database>) => Promise<string>, clientId: string): Promise<GroupWriteResult> {
    try {
      const id = await this.#db.transaction().execute(work);
      const group = await this.find(clientId, id);
      return group ? { kind: 'saved', group } : { kind: 'not_found' };
    } catch (error) {
      if (error instanceof Refused) return error.result;
      if (isUniqueViolation(error, 'display_name')) return { kind: 'conflict' };
      throw error;
    }
  }
}
