import type { Kysely, Selectable } from 'kysely';
import type { DataCipher } from '../security/index.ts';
import type { Database, EmployeeTable } from './database-schema.ts';
import { isUniqueViolation } from './unique-violation.ts';

/** What the organisation's directory says of an employee (PII). */
export interface Directory {
  employeeId: string | null;
  email: string | null;
  displayName: string;
  phone: string | null;
  /** SCIM provisioning keeps the provider's own attributes (absent for records made by /v1/employees). */
  scim?: { userName: string; externalId: string | null; givenName: string | null; familyName: string | null; active: boolean };
}

export interface EmployeeRecord extends Directory {
  id: string;
  clientId: string;
  environment: 'demo' | 'production';
  /** The identity of the employee's first successful verification; null until then. */
  identityId: string | null;
  createdAt: number;
  updatedAt: number;
}

export type EmployeeKey = { id: string } | { employeeId: string } | { email: string };

const context = (id: string) => `employee:${id}:directory`;

/** The employee's SCIM userName: the provider's own, else the employeeId, the e-mail or the record id (RFC 7643: always present). */
export function userNameOf(directory: Pick<Directory, 'scim' | 'employeeId' | 'email'>, id: string): string {
  return directory.scim?.userName ?? directory.employeeId ?? directory.email ?? id;
}

/** The keyed hash a userName is found by (case-insensitive, as SCIM compares userName). */
export const userNameIndex = (cipher: Pick<DataCipher, 'blindIndex'>, userName: string) => cipher.blindIndex(userName.toLowerCase(), 'employee-user-name');

/** Another employee of the client already has this employeeId or e-mail. */
const isKeyConflict = (error: unknown) => isUniqueViolation(error, 'employee_id') || isUniqueViolation(error, 'email_index');

/** An API client's employees: directory data encrypted, the e-mail also as a keyed hash to find it by. */
export class EmployeeRepository {
  readonly #db: Kysely<Database>;
  readonly #cipher: DataCipher;

  constructor(db: Kysely<Database>, cipher: DataCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  #record(row: Selectable<EmployeeTable>): EmployeeRecord {
    const directory = this.#cipher.decryptJson<Directory>(row.directory_encrypted, context(row.id));
    return {
      ...directory, id: row.id, clientId: row.client_id, environment: row.environment as EmployeeRecord['environment'], identityId: row.identity_id,
      createdAt: row.created_at, updatedAt: row.updated_at,
    };
  }

  /** The columns that hold the directory: its keys (employeeId, the e-mail's keyed hash) and the encrypted data. */
  #directoryColumns(id: string, directory: Directory, now: number) {
    return {
      employee_id: directory.employeeId,
      email_index: directory.email === null ? null : this.emailIndexes(directory.email)[0]!,
      user_name_index: userNameIndex(this.#cipher, userNameOf(directory, id)),
      directory_encrypted: this.#cipher.encryptJson(directory, context(id)),
      updated_at: now,
    };
  }

  emailIndexes(email: string): string[] {
    return this.#cipher.blindIndexes(email.trim().toLowerCase(), 'employee-email');
  }

  async find(clientId: string, key: EmployeeKey): Promise<EmployeeRecord | undefined> {
    let query = this.#db.selectFrom('employees').selectAll().where('client_id', '=', clientId);
    if ('id' in key) query = query.where('id', '=', key.id);
    else if ('employeeId' in key) query = query.where('employee_id', '=', key.employeeId);
    else query = query.where('email_index', 'in', this.emailIndexes(key.email));
    const row = await query.executeTakeFirst();
    return row ? this.#record(row) : undefined;
  }

  /**
   * Creates the employee or updates the one with the same employeeId (else the same e-mail).
   * Undefined when the other key belongs to another employee (a conflict the caller must resolve).
   */
  async upsert(clientId: string, environment: string, id: string, directory: Directory, now = Date.now()): Promise<{ record: EmployeeRecord; created: boolean } | undefined> {
    const existing = directory.employeeId !== null
      ? await this.find(clientId, { employeeId: directory.employeeId })
      : directory.email !== null ? await this.find(clientId, { email: directory.email }) : undefined;
    const rowId = existing?.id ?? id;
    if (existing) {
      if (!(await this.replace(rowId, directory, now))) return undefined;
    } else {
      try {
        await this.#db.insertInto('employees').values({
          id: rowId, client_id: clientId, environment, identity_id: null, created_at: now, ...this.#directoryColumns(rowId, directory, now),
        }).execute();
      } catch (error) {
        if (isKeyConflict(error)) return undefined;
        throw error;
      }
    }
    const record = await this.find(clientId, { id: rowId });
    if (!record) throw new Error('employee vanished after upsert');
    return { record, created: !existing };
  }

  /**
   * The client's employees whose userName is `userName` (case-insensitive), found by its keyed hash
   * under every master key in use. Rows not indexed yet (written before migration 0020) are read
   * once and indexed on the way, so the scan of them happens at most once per row.
   */
  async findByUserName(clientId: string, userName: string): Promise<EmployeeRecord[]> {
    const keys = this.#cipher.blindIndexes(userName.toLowerCase(), 'employee-user-name');
    const rows = await this.#db.selectFrom('employees').selectAll().where('client_id', '=', clientId)
      .where((eb) => eb.or([eb('user_name_index', 'in', keys), eb('user_name_index', 'is', null)])).execute();
    const found: EmployeeRecord[] = [];
    const wanted = userName.toLowerCase();
    for (const row of rows) {
      const record = this.#record(row);
      const name = userNameOf(record, record.id);
      if (row.user_name_index === null) {
        await this.#db.updateTable('employees').set({ user_name_index: userNameIndex(this.#cipher, name) })
          .where('id', '=', row.id).where('user_name_index', 'is', null).execute();
      }
      if (name.toLowerCase() === wanted) found.push(record);
    }
    return found.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  async list(clientId: string, limit: number, after?: { createdAt: number; id: string }): Promise<EmployeeRecord[]> {
    let query = this.#db.selectFrom('employees').selectAll().where('client_id', '=', clientId);
    if (after) {
      query = query.where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]));
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map((row) => this.#record(row));
  }

  /** Replaces the directory data of the employee `id` (SCIM PUT/PATCH); false on a key another employee has. */
  async replace(id: string, directory: Directory, now = Date.now()): Promise<boolean> {
    try {
      await this.#db.updateTable('employees').set(this.#directoryColumns(id, directory, now)).where('id', '=', id).execute();
      return true;
    } catch (error) {
      if (isKeyConflict(error)) return false;
      throw error;
    }
  }

  /** Forgets the identity the employee was bound to (deprovisioned: the next verification enrols again). */
  async unbind(id: string, now = Date.now()): Promise<void> {
    await this.#db.updateTable('employees').set({ identity_id: null, updated_at: now }).where('id', '=', id).execute();
  }

  /** Binds the employee to an identity once (compare-and-set on an unbound employee); false when already bound. */
  async bind(id: string, identityId: string, now = Date.now()): Promise<boolean> {
    const result = await this.#db.updateTable('employees').set({ identity_id: identityId, updated_at: now })
      .where('id', '=', id).where('identity_id', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('employees').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /** Another client's employee may be bound to the same person: an identity is erased only when none is left. */
  async countBoundTo(identityId: string): Promise<number> {
    const row = await this.#db.selectFrom('employees').select((eb) => eb.fn.countAll<number>().as('n')).where('identity_id', '=', identityId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
