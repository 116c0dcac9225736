import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config/index.ts';
import { createCore, type Core } from '../../src/core.ts';
import { JobRunner } from '../../src/jobs/job-runner.ts';
import { JobRepository, migrateToLatest, openDatabase } from '../../src/storage/index.ts';
import { face } from '../helpers/fixtures.ts';
import { closeEngines, engines } from '../helpers/test-server.ts';
import { createTestDatabaseUrl, postgresUrl } from '../helpers/test-database.ts';
import { generatePassport } from '../support/synthetic-document.ts';

const quiet = { info() {}, error() {} };

/** Starts a child and resolves with its first stdout line matching `pattern`. */
async function childSays(child: ChildProcess, pattern: RegExp): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(([code]) => { throw new Error(`child exited (${code}) before saying ${pattern}`); });
  const said = (async () => {
    for await (const line of lines) if (pattern.test(line)) return line;
    throw new Error('no output');
  })();
  return Promise.race([said, exited]);
}

function spawnChild(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [new URL(script, import.meta.url).pathname], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
}

describe('crash recovery: kill -9 mid-job and mid-processing', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'verid-crash-'));
  });
  after(async () => {
    await closeEngines();
    await rm(dir, { recursive: true, force: true });
  });

  const targets: Array<{ name: string; env(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> }> = [{
    name: 'SQLite',
    env: async () => ({ env: { VERID_DATA_DIR: await mkdtemp(path.join(dir, 'jobs-')), DATABASE_URL: '' }, drop: async () => {} }),
  }];
  if (postgresUrl()) {
    targets.push({ name: 'PostgreSQL', env: async () => { const db = await createTestDatabaseUrl(); return { env: { VERID_DATA_DIR: dir, DATABASE_URL: db.url }, drop: db.drop }; } });
  }

  for (const target of targets) {
    test(`${target.name}: a job whose runner is killed -9 runs once more after its lease`, async () => {
      const { env, drop } = await target.env();
      const database = openDatabase({ databaseUrl: env.DATABASE_URL || null, dataDir: env.VERID_DATA_DIR! });
      try {
        await migrateToLatest(database.db, database.dialect);
        const store = new JobRepository(database.db, database.dialect);
        await store.enqueue({ kind: 'test.hold', payload: { n: 1 }, runAt: Date.now() - 1 });
        const child = spawnChild('./hold-job.child.ts', { ...env, LEASE_MS: '800' });
        await childSays(child, /^holding$/);
        child.kill('SIGKILL');
        await once(child, 'exit');

        const ran: number[] = [];
        const runner = new JobRunner(store, { pollMs: 50, leaseMs: 5_000, batch: 5, baseBackoffMs: 10, maxBackoffMs: 10, log: quiet })
          .handle('test.hold', async (job) => { ran.push(job.attempts); });
        assert.equal(await runner.runDue(), 0, 'the dead runner\'s lease still holds the job');
        await sleep(900);
        assert.equal(await runner.runDue(), 1);
        assert.deepEqual(ran, [2], 'run once more, as its second attempt');
        assert.deepEqual(await store.counts(), {}, 'and done');
      } finally {
        await database.close();
        await drop();
      }
    });
  }

  test('a session left processing by a killed process returns to capturing, and then completes', async () => {
    const dataDir = await mkdtemp(path.join(dir, 'processing-'));
    const front = path.join(dir, 'front.jpg');
    const selfie = path.join(dir, 'selfie.jpg');
    await writeFile(front, await generatePassport({
      issuingCountry: 'FIN', surname: 'VIRTANEN', givenNames: 'AINO', documentNumber: 'XP4471902', birthDate: '1989-08-08',
      expiryDate: '2031-08-07', sex: 'F', portrait: await face('genuine/london_005/1.jpg'),
    }));
    await writeFile(selfie, await face('genuine/london_005/2.jpg'));
    const env = { VERID_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', VERID_REQUIRE_LIVENESS: 'false', FRONT_FILE: front, SELFIE_FILE: selfie };
    const child = spawnChild('./processing.child.ts', env);
    const line = await childSays(child, /^processing /);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const interviewId = line.split(' ')[1]!;

    let core: Core | undefined;
    try {
      core = await createCore(loadConfig({ VERID_DATA_DIR: dataDir, VERID_REQUIRE_LIVENESS: 'false', LOG_LEVEL: 'silent' }), { engines: engines() });
      assert.equal((await core.verification.find(interviewId))?.state, 'processing', 'stuck, as after any crash');
      assert.equal(await core.verification.recoverStuck(60_000), 0, 'not before the timeout');
      assert.equal(await core.verification.recoverStuck(0), 1);
      const recovered = await core.verification.find(interviewId);
      assert.equal(recovered?.state, 'face_captured');
      assert.deepEqual(recovered?.reasons, ['processing_interrupted']);
      const events = await core.sessions.listEvents(interviewId);
      assert.deepEqual(events.at(-1)?.type, 'processing.recovered');
      const { session } = await core.verification.processFace(recovered!);
      assert.equal(session.state, 'succeeded', JSON.stringify(session.reasons));
    } finally {
      await core?.close();
    }
  });
});
