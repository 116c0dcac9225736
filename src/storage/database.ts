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

export interface DatabaseOptions {
  databaseUrl: string | null;
  dataDir: string;
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.databaseUrl) {
    const url = new URL(options.databaseUrl);
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
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
