import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadConfig, type Config } from '../../src/config/index.ts';
import { verid } from '../helpers/cli.ts';
import { MASTER_KEY, openTestDatabase, webhookRig } from './webhook-fixture.ts';

let db: Awaited<ReturnType<typeof openTestDatabase>>;
let config: Config;
before(async () => {
  db = await openTestDatabase('sqlite');
  config = loadConfig({ VERID_DATA_DIR: db.dir, VERID_MASTER_KEY: MASTER_KEY, NODE_ENV: 'test' });
  const rig = await webhookRig(db.handle);
  await rig.client('cli-demo');
  await rig.client('cli-prod', 'production');
});
after(() => db.drop());

test('verid webhooks add | list | rotate-secret | attempts | delete', async () => {
  delete process.env.VERID_WEBHOOK_ALLOW_CIDRS;
  await assert.rejects(verid(config, ['webhooks', 'add', '--client', 'cli-demo', '--url', 'http://127.0.0.1:9/hooks']), /private or reserved address/);
  await assert.rejects(verid(config, ['webhooks', 'add', '--client', 'cli-prod', '--url', 'http://hooks.example.test/x']), /must use https/);
  await assert.rejects(verid(config, ['webhooks', 'add', '--client', 'cli-demo', '--url', 'https://[::1]/x', '--events', 'session.nope']), /Unknown event types/);
  process.env.VERID_WEBHOOK_ALLOW_CIDRS = '127.0.0.0/8';
  try {
    const added = await verid(config, ['webhooks', 'add', '--client', 'cli-demo', '--url', 'http://127.0.0.1:9/hooks', '--events', 'session.succeeded,review.approved']) as Record<string, unknown>;
    assert.match(String(added.secret), /^whsec_/);
    assert.deepEqual(added.events, ['session.succeeded', 'review.approved']);
    const listed = await verid(config, ['webhooks', 'list', '--client', 'cli-demo']) as Array<Record<string, unknown>>;
    assert.deepEqual(listed.map((e) => [e.endpoint_id, e.state, 'secret' in e]), [[added.endpoint_id, 'enabled', false]]);
    const rotated = await verid(config, ['webhooks', 'rotate-secret', String(added.endpoint_id)]) as Record<string, unknown>;
    assert.notEqual(rotated.secret, added.secret);
    assert.ok(rotated.previous_secret_valid_until, 'the previous secret overlaps');
    await assert.rejects(verid(config, ['webhooks', 'attempts', 'msg_unknown']), /No event msg_unknown/);
    assert.deepEqual(await verid(config, ['webhooks', 'delete', String(added.endpoint_id)]), { endpoint_id: added.endpoint_id, deleted: true });
    assert.deepEqual(await verid(config, ['webhooks', 'list']), []);
  } finally {
    delete process.env.VERID_WEBHOOK_ALLOW_CIDRS;
  }
});
