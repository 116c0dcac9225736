import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DatabaseHandle } from '../../src/storage/index.ts';
import { webhookId } from '../../src/webhooks/index.ts';
import { startReceiver, verifyWith, type Receiver } from '../helpers/webhook-receiver.ts';
import { backends, drain, openTestDatabase, webhookRig } from './webhook-fixture.ts';

for (const backend of backends) {
  describe(`webhook delivery on ${backend}`, () => {
    let db: Awaited<ReturnType<typeof openTestDatabase>>;
    let handle: DatabaseHandle;
    before(async () => {
      db = await openTestDatabase(backend);
      handle = db.handle;
    });
    after(() => db.drop());

    test('signed per Standard Webhooks, retried after a 500 with the same webhook-id; body has ids and statuses only', async () => {
      const rig = await webhookRig(handle);
      await rig.client('c-500');
      const receiver = await startReceiver((_request, seen) => (seen === 1 ? 500 : 204));
      try {
        const { endpoint, secret } = await rig.service.addEndpoint({ clientId: 'c-500', url: receiver.url });
        assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
        const sessionId = await rig.session('c-500', ['session.succeeded']);
        const [message] = await rig.outbox(sessionId);
        const runner = await rig.runner();
        await drain(runner, () => receiver.accepted().length === 1);
        assert.deepEqual(receiver.received.map((r) => [r.id, r.status]), [[webhookId(message!.id), 500], [webhookId(message!.id), 204]]);
        for (const request of receiver.received) {
          assert.deepEqual(verifyWith(secret, request), {
            type: 'session.succeeded',
            timestamp: (verifyWith(secret, request) as { timestamp: string }).timestamp,
            data: { interviewId: sessionId, externalId: `ext-${sessionId}`, environment: 'demo', state: 'succeeded', onboardingStatus: 'ONBOARDING_FINISHED', reasons: ['a_reason'] },
          });
        }
        assert.throws(() => verifyWith(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, receiver.received[1]!), /No matching signature/);
        const { deliveries, attempts } = await rig.service.attempts(webhookId(message!.id));
        assert.deepEqual(deliveries.map((d) => [d.endpointId, d.status, d.attempts]), [[endpoint.id, 'delivered', 2]]);
        assert.deepEqual(attempts.map((a) => [a.attempt, a.statusCode, a.errorCode, a.responseExcerpt]), [[1, 500, null, 'no thanks'], [2, 204, null, null]]);
        assert.ok(attempts.every((a) => a.latencyMs >= 0));
      } finally {
        await receiver.close();
      }
    });

    test('a receiver that was down gets the event once it is back; every failed attempt is recorded', async () => {
      const rig = await webhookRig(handle, { retryScheduleMs: [0, 0, 0, 0, 0, 0, 0, 0] });
      await rig.client('c-down');
      const receiver = await startReceiver();
      try {
        await rig.service.addEndpoint({ clientId: 'c-down', url: receiver.url });
        await receiver.stop();
        const sessionId = await rig.session('c-down', ['session.failed']);
        const [message] = await rig.outbox(sessionId);
        const runner = await rig.runner();
        await drain(runner, async () => (await rig.deliveries.attempts(message!.id)).length >= 2);
        await receiver.start();
        await drain(runner, () => receiver.accepted().length === 1);
        const attempts = await rig.deliveries.attempts(message!.id);
        assert.ok(attempts.slice(0, -1).every((a) => a.errorCode === 'connection_refused' && a.statusCode === null), JSON.stringify(attempts));
        assert.equal(attempts.at(-1)?.statusCode, 204);
        assert.equal(receiver.accepted()[0]!.id, webhookId(message!.id));
      } finally {
        await receiver.close();
      }
    });

    test('a session\'s events reach an endpoint in order: a later one waits while an earlier one is retried', async () => {
      const rig = await webhookRig(handle);
      await rig.client('c-order');
      // The session's first message fails twice; the others would succeed at once if sent.
      let first: string | undefined;
      const receiver = await startReceiver((request, seen) => (request.id === first && seen <= 2 ? 503 : 200));
      try {
        await rig.service.addEndpoint({ clientId: 'c-order', url: receiver.url });
        const sessionId = await rig.session('c-order', ['session.pending_review', 'review.approved', 'session.closed']);
        const other = await rig.session('c-order', ['session.expired']);
        const messages = await rig.outbox(sessionId);
        assert.deepEqual(messages.map((m) => m.sequence), [1, 2, 3]);
        first = webhookId(messages[0]!.id);
        const runner = await rig.runner();
        await drain(runner, () => receiver.accepted().length === 4);
        const ofSession = receiver.received.filter((r) => JSON.parse(r.body).data.interviewId === sessionId);
        assert.deepEqual(ofSession.map((r) => [JSON.parse(r.body).type, r.status]), [
          ['session.pending_review', 503], ['session.pending_review', 503], ['session.pending_review', 200], ['review.approved', 200], ['session.closed', 200],
        ]);
        assert.deepEqual(ofSession.map((r) => JSON.parse(r.body).data.onboardingStatus), ['ONBOARDING_FINISHED', 'ONBOARDING_FINISHED', 'ONBOARDING_FINISHED', 'MANUAL_REVIEW_APPROVED', 'ONBOARDING_FINISHED']);
        assert.ok(receiver.accepted().some((r) => JSON.parse(r.body).data.interviewId === other), 'another session is not held up');
      } finally {
        await receiver.close();
      }
    });

    test('replay sends the same webhook-id again; event filters are honoured', async () => {
      const rig = await webhookRig(handle);
      await rig.client('c-replay');
      const receiver = await startReceiver();
      const filtered = await startReceiver();
      try {
        await rig.service.addEndpoint({ clientId: 'c-replay', url: receiver.url });
        await rig.service.addEndpoint({ clientId: 'c-replay', url: filtered.url, eventTypes: ['session.expired'] });
        const sessionId = await rig.session('c-replay', ['session.succeeded']);
        const [message] = await rig.outbox(sessionId);
        const runner = await rig.runner();
        await drain(runner, () => receiver.accepted().length === 1);
        const replayed = await rig.service.replay(webhookId(message!.id));
        assert.deepEqual(replayed, { webhookId: webhookId(message!.id), endpoints: 1 });
        await drain(runner, () => receiver.accepted().length === 2);
        assert.deepEqual(receiver.received.map((r) => r.id), [webhookId(message!.id), webhookId(message!.id)]);
        assert.equal(receiver.received[0]!.body, receiver.received[1]!.body, 'the same body, byte for byte');
        assert.equal(filtered.received.length, 0, 'an endpoint subscribed to other types gets nothing');
        await assert.rejects(rig.service.replay('msg_nope'), { code: 'not_found' });
      } finally {
        await receiver.close();
        await filtered.close();
      }
    });

    test('rotation: both secrets sign during the overlap; a second rotation keeps the newest two', async () => {
      const rig = await webhookRig(handle);
      await rig.client('c-rotate');
      const receiver = await startReceiver();
      try {
        const { endpoint, secret: first } = await rig.service.addEndpoint({ clientId: 'c-rotate', url: receiver.url });
        const { secret: second } = await rig.service.rotateSecret(endpoint.id);
        const runner = await rig.runner();
        await rig.session('c-rotate', ['session.succeeded']);
        await drain(runner, () => receiver.accepted().length === 1);
        const signed = receiver.received[0]!;
        assert.equal(signed.headers['webhook-signature']!.split(' ').length, 2);
        assert.ok(verifyWith(first, signed) && verifyWith(second, signed), 'both the old and the new secret verify');
        const { secret: third } = await rig.service.rotateSecret(endpoint.id);
        await rig.session('c-rotate', ['session.failed']);
        await drain(runner, () => receiver.accepted().length === 2);
        const again = receiver.received[1]!;
        assert.ok(verifyWith(second, again) && verifyWith(third, again));
        assert.throws(() => verifyWith(first, again), /No matching signature/, 'the oldest no longer signs');
        const later = await rig.endpoints.signingSecrets(endpoint.id, Date.now() + 61_000);
        assert.deepEqual(later, [third], 'after the overlap only the newest');
      } finally {
        await receiver.close();
      }
    });

    test('an endpoint failing without pause is disabled (logged); enable resumes its parked deliveries', async () => {
      const rig = await webhookRig(handle, { disableAfterFailures: 3, disableAfterMs: 1, retryScheduleMs: [0, 0, 0, 0, 0, 0, 0, 0, 0] });
      await rig.client('c-disable');
      let healthy = false;
      const receiver = await startReceiver(() => (healthy ? 200 : 500));
      const watcher = await startReceiver(() => 200);
      try {
        const { endpoint } = await rig.service.addEndpoint({ clientId: 'c-disable', url: receiver.url });
        // The client's second endpoint hears only about its endpoints (it subscribes to that event alone).
        await rig.service.addEndpoint({ clientId: 'c-disable', url: watcher.url, eventTypes: ['webhook.endpoint_disabled'] });
        const sessionId = await rig.session('c-disable', ['session.succeeded']);
        const runner = await rig.runner();
        await drain(runner, async () => (await rig.endpoints.find(endpoint.id))?.state === 'disabled');
        const disabled = await rig.endpoints.find(endpoint.id);
        assert.deepEqual([disabled?.state, disabled?.disabledReason, disabled?.consecutiveFailures], ['disabled', 'failing', 3]);
        assert.ok(rig.logged.some((l) => /endpoint disabled/.test(l.msg) && (l.obj as { endpointId?: string }).endpointId === endpoint.id));
        await drain(runner, () => watcher.accepted().length === 1);
        const told = JSON.parse(watcher.accepted()[0]!.body) as { type: string; data: { endpointId: string; reason: string } };
        assert.deepEqual([told.type, told.data.endpointId, told.data.reason], ['webhook.endpoint_disabled', endpoint.id, 'failing'], 'an event says so');
        const sent = receiver.received.length;
        for (let i = 0; i < 5; i++) await runner.runDue();
        await rig.session('c-disable', ['session.expired']);
        for (let i = 0; i < 5; i++) await runner.runDue();
        assert.equal(receiver.received.length, sent, 'nothing is sent to a disabled endpoint');
        healthy = true;
        await rig.service.enable(endpoint.id);
        await drain(runner, () => receiver.accepted().length === 1);
        assert.equal(JSON.parse(receiver.accepted()[0]!.body).data.interviewId, sessionId, 'the parked delivery went out');
        assert.equal((await rig.endpoints.find(endpoint.id))?.consecutiveFailures, 0);
      } finally {
        await receiver.close();
        await watcher.close();
      }
    });

    test('410 Gone disables the endpoint at once', async () => {
      const rig = await webhookRig(handle);
      await rig.client('c-gone');
      const receiver = await startReceiver(() => 410);
      try {
        const { endpoint } = await rig.service.addEndpoint({ clientId: 'c-gone', url: receiver.url });
        await rig.session('c-gone', ['session.succeeded']);
        const runner = await rig.runner();
        await drain(runner, async () => (await rig.endpoints.find(endpoint.id))?.state === 'disabled');
        assert.equal((await rig.endpoints.find(endpoint.id))?.disabledReason, 'gone');
        assert.equal(receiver.received.length, 1);
      } finally {
        await receiver.close();
      }
    });

    test('two runners on one database deliver each event once', async () => {
      const rig = await webhookRig(handle);
      await rig.client('c-two');
      const receiver = await startReceiver();
      try {
        await rig.service.addEndpoint({ clientId: 'c-two', url: receiver.url });
        for (let i = 0; i < 20; i++) await rig.session('c-two', ['session.succeeded']);
        const [a, b] = [await rig.runner(), await rig.runner()];
        a.start();
        b.start();
        const deadline = Date.now() + 20_000;
        while (receiver.accepted().length < 20 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        await Promise.all([a.stop(), b.stop()]);
        const ids = receiver.received.map((r) => r.id);
        assert.equal(ids.length, 20, 'all delivered');
        assert.equal(new Set(ids).size, 20, 'none twice');
      } finally {
        await receiver.close();
      }
    });
  });
}
