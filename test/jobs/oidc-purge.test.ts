import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { JobRunner } from '../../src/jobs/job-runner.ts';
import { installSweeps } from '../../src/jobs/sweeps.ts';
import { DataCipher } from '../../src/security/index.ts';
import { JobRepository, migrateToLatest, OidcPayloadRepository, openDatabase, type DatabaseHandle } from '../../src/storage/index.ts';
import { createTestDatabaseUrl, postgresUrl } from '../helpers/test-database.ts';

const cipher = new DataCipher('purge-test-master-key-0123456789abcdef');
const quiet = { info: () => {}, error: () => {} };

async function openBackend(name: 'sqlite' | 'postgres'): Promise<{ handle: DatabaseHandle; cleanup(): Promise<void> }> {
  if (name === 'postgres') {
    const db = await createTestDatabaseUrl();
    const handle = openDatabase({ databaseUrl: db.url, dataDir: '' });
    return { handle, cleanup: async () => { await handle.close(); await db.drop(); } };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'verid-purge-'));
  const handle = openDatabase({ databaseUrl: null, dataDir: dir });
  return { handle, cleanup: async () => { await handle.close(); await rm(dir, { recursive: true, force: true }); } };
}

async function rowCount(handle: DatabaseHandle): Promise<number> {
  const row = await handle.db.selectFrom('oidc_payloads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Expired access tokens, codes and sessions do not pile up (issue 13: a load test left 210k rows):
 * the `oidc.purge_expired` sweep is queued when the jobs start, deletes every expired row in one
 * statement, leaves live ones, and queues its next run.
 */
describe('the expired OIDC artefact purge', () => {
  for (const name of ['sqlite', ...(postgresUrl() ? ['postgres' as const] : [])] as const) {
    test(`${name}: the sweep deletes expired rows, keeps live ones and comes back`, async () => {
      const { handle, cleanup } = await openBackend(name);
      const runner = new JobRunner(new JobRepository(handle.db, handle.dialect), { pollMs: 50, leaseMs: 30_000, batch: 10, baseBackoffMs: 1_000, maxBackoffMs: 1_000, log: quiet });
      try {
        await migrateToLatest(handle.db, handle.dialect);
        const payloads = new OidcPayloadRepository(handle.db, cipher);
        const expired = Date.now() - 1_000;
        for (let i = 0; i < 1_000; i++) await payloads.upsert('AccessToken', `expired-${i}`, { jti: `expired-${i}`, grantId: `g${i}` }, expired);
        await payloads.upsert('RefreshToken', 'expired-refresh', { jti: 'expired-refresh' }, expired);
        await payloads.upsert('AccessToken', 'live', { jti: 'live', grantId: 'g-live' }, Date.now() + 3_600_000);
        await payloads.upsert('Grant', 'no-expiry', { jti: 'no-expiry' }, null);
        assert.equal(await rowCount(handle), 1_003);

        const store = new JobRepository(handle.db, handle.dialect);
        const noWork = async () => 0;
        await installSweeps(runner, store, {
          verification: { expireDue: noWork, recoverStuck: noWork, purgeStaleLiveness: noWork, purgeRetention: async () => ({ sessions: 0, identities: 0, records: 0 }) },
          payloads,
        }, { intervalMs: 60_000, processingTimeoutMs: 60_000, log: quiet });
        runner.start();
        const deadline = Date.now() + 20_000;
        while (await rowCount(handle) > 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));

        assert.equal(await rowCount(handle), 2, 'only the live token and the row without expiry are left');
        assert.ok(await payloads.find('AccessToken', 'id', 'live'));
        assert.ok(await payloads.find('Grant', 'id', 'no-expiry'));
        await runner.stop();
        const next = await handle.db.selectFrom('jobs').select(['run_at', 'status']).where('kind', '=', 'oidc.purge_expired').where('status', '=', 'queued').execute();
        assert.equal(next.length, 1, 'the next run is queued');
        assert.ok(next[0]!.run_at > Date.now() + 50_000, 'one sweep interval from now');
      } finally {
        await runner.stop();
        await cleanup();
      }
    });
  }
});
