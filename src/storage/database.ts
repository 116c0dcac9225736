import { mkdirSync } from 'node:fs';
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
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', location: `postgres://${url.host}${url.pathname}`, close: () => db.destroy() };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, 'verid.sqlite');
  const db = new Kysely<Database>({ dialect: createNodeSqliteDialect(file) });
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}
