import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { webhookId } from '../../src/webhooks/index.ts';
import { startReceiver } from '../helpers/webhook-receiver.ts';
import { backends, MASTER_KEY, openTestDatabase, webhookRig } from './webhook-fixture.ts';

const BIN = new URL('../../bin/verid.js', import.meta.url).pathname;

/** A real `verid worker` process over the test database. */
function worker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [BIN, 'worker'], {
    env: {
      ...process.env, ...env, VERID_MASTER_KEY: MASTER_KEY, LOG_LEVEL: process.env.WORKER_LOG_LEVEL ?? 'silent', NODE_ENV: 'test', VERID_WEBHOOK_ALLOW_CIDRS: '127.0.0.0/8',
      VERID_JOBS_POLL_SECONDS: '1', VERID_JOBS_LEASE_SECONDS: '2', VERID_WEBHOOK_TIMEOUT_SECONDS: '60', VERID_WEBHOOK_RETRY_SCHEDULE: '0.2,0.2,0.2,0.2,0.2',
    },
    stdio: ['ignore', process.env.WORKER_LOG_LEVEL ? 'inherit' : 'ignore', 'inherit'],
  });
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('webhook delivery survives kill -9', () => {
  const children: ChildProcess[] = [];
  after(() => { for (const child of children) if (child.exitCode === null) child.kill('SIGKILL'); });

  for (const backend of backends) {
    test(`${backend}: a webhook in flight when its worker is killed -9 is sent again (same webhook-id) after the lease; none lost`, async () => {
      const db = await openTestDatabase(backend);
      // The first request never gets an answer: its worker is killed while waiting for it.
      let hung: string | undefined;
      const receiver = await startReceiver((request) => {
        if (hung === undefined) {
          hung = request.id;
          return 'hang';
        }
        return 200;
      });
      try {
        const rig = await webhookRig(db.handle);
        await rig.client('c-crash');
        await rig.service.addEndpoint({ clientId: 'c-crash', url: receiver.url });
        const sessions = [];
        for (let i = 0; i < 6; i++) sessions.push(await rig.session('c-crash', ['session.succeeded']));
        const expected = new Set<string>();
        for (const id of sessions) for (const m of await rig.outbox(id)) expected.add(webhookId(m.id));

        const first = worker(db.env);
        children.push(first);
        await until(() => hung !== undefined, 30_000, 'the first request');
        first.kill('SIGKILL');
        await once(first, 'exit');

        const second = worker(db.env);
        children.push(second);
        await until(() => new Set(receiver.accepted().map((r) => r.id)).size === expected.size, 60_000, 'every event delivered');
        second.kill('SIGTERM');
        await once(second, 'exit');

        const accepted = new Set(receiver.accepted().map((r) => r.id));
        assert.deepEqual([...expected].filter((id) => !accepted.has(id)), [], 'none lost');
        assert.ok(receiver.accepted().some((r) => r.id === hung), 'the one in flight was sent again, with the same webhook-id');
        const attempts = await rig.deliveries.attempts(hung!.slice(4));
        assert.deepEqual(attempts.map((a) => a.statusCode), [200], 'the killed attempt left no record; the retry did');
      } finally {
        await receiver.close();
        await db.drop();
      }
    });
  }
});
