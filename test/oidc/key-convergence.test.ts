import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { postgresUrl } from '../helpers/test-database.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('signing keys: instances starting together on one database publish one key set', { skip: postgresUrl() ? false : 'no PostgreSQL (set DATABASE_URL)' }, () => {
  const servers: TestServer[] = [];
  after(async () => {
    // The second server shares the first one's database: close it first, the first drops the database.
    for (const server of servers.reverse()) await server.close();
    await closeEngines();
  });

  test('two servers started at the same moment on a new PostgreSQL database serve the same JWKS and sign with the same key', async () => {
    const first = await startTestServer({ dialect: 'postgres' });
    servers.push(first);
    // Start again from an empty key table, twice at once, against the same database.
    await first.app.database.db.deleteFrom('signing_keys').execute();
    const [a, b] = await Promise.all([0, 1].map(() => startTestServer({ overrides: { databaseUrl: first.config.databaseUrl } })));
    servers.push(a!, b!);
    const jwks = async (server: TestServer) => (await (await fetch(`${server.baseUrl}/oauth2/jwks`)).json()) as { keys: Array<{ kid: string; alg: string; x5c?: string[] }> };
    const [ja, jb] = await Promise.all([jwks(a!), jwks(b!)]);
    assert.deepEqual(ja.keys.map((k) => k.kid).sort(), jb.keys.map((k) => k.kid).sort());
    // The RSA key's self-signed certificate (x5c, which Entra reads) is derived, never stored: the same on both.
    const byKid = (keys: typeof ja.keys) => [...keys].sort((x, y) => x.kid.localeCompare(y.kid));
    assert.deepEqual(byKid(ja.keys), byKid(jb.keys));
    assert.ok(ja.keys.find((k) => k.alg === 'RS256')?.x5c?.length, 'the RS256 key carries x5c');
    const current = await first.app.database.db.selectFrom('signing_keys').select(['alg', 'state']).where('state', '=', 'current').execute();
    assert.deepEqual(current.map((k) => k.alg).sort(), ['ES256', 'RS256'], 'one current key per algorithm');
  });
});
