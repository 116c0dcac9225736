import { createHash } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database-schema.ts';
import { createNodeSqliteDialect } from './node-sqlite-dialect.ts';

export type SqlDialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: SqlDialectName;
  /** Where the data lives, without credentials (for logs). */
  location: string;
  close(): Promise<void>;
}

// int8 columns (epoch-ms times) as JS numbers, not strings.
pg.types.setTypeParser(20, (value) => Number(value));

/**
 * Every parameterised statement is a named prepared statement, one per SQL text: PostgreSQL parses
 * and plans it once per connection instead of on every query (pg keeps the names it prepared on each
 * connection). verid's statements are a few hundred distinct texts at most.
 */
class PreparedStatementClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's overloads
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0 && typeof callback !== 'function') {
      return super.query({ name: statementName(config), text: config, values });
    }
    return super.query(config, values, callback);
  }
}

const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `verid_${createHash('sha256').update(sql).digest('base64url').slice(0, 22)}`;
    if (statementNames.size < 2000) statementNames.set(sql, name);
  }
  return name;
}

export interface DatabaseOptions {
  databaseUrl: string | null;
  dataDir: string;
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.databaseUrl) {
    const url = new URL(options.databaseUrl);
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10, Client: PreparedStatementClient });
    // An idle connection the server closed (restart, failover, admin) is an 'error' event on the
    // pool: without a listener it would end the process. The pool replaces the connection; the
    // next query that fails says so to its caller.
    pool.on('error', (error) => process.emitWarning(`PostgreSQL connection lost: ${error.message}`, 'DatabaseWarning'));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', location: `postgres://${url.host}${url.pathname}`, close: () => db.destroy() };
  }
  const file = path.join(options.dataDir, 'verid.sqlite');
  restrictToOwner(options.dataDir, file);
  const db = new Kysely<Database>({ dialect: createNodeSqliteDialect(file) });
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}

/**
 * The data directory is the owner's alone (0700) and so is the database (0600): SQLite creates its
 * -wal and -shm files with the database's permissions. Existing files are tightened too.
 */
function restrictToOwner(dir: string, file: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const existing of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(existing)) chmodSync(existing, 0o600);
}
