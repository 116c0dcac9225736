import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** PostgreSQL server for tests: DATABASE_URL when set (CI sets it), else none. */
export function postgresUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

/** Creates an empty database on the test server; `drop()` removes it. */
export async function createTestDatabaseUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = postgresUrl();
  if (!admin) throw new Error('DATABASE_URL is not set');
  const name = `verid_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
