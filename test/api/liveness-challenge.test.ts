import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { face } from '../helpers/fixtures.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { generatePassport } from '../support/synthetic-document.ts';

describe('liveness challenge endpoints', () => {
  let server: TestServer;
  let strict: TestServer;

  before(async () => {
    server = await startTestServer();
    strict = await startTestServer({ overrides: { requireLiveness: true } });
  });
  after(async () => {
    await server.close();
    await strict.close();
    await closeEngines();
  });

  async function session(target = server) {
    return (await target.app.verification.start({
      origin: 'omni', mode: 'enroll', environment: 'demo', clientId: null, interactionUid: null, externalId: null, loginHint: null,
    })).token;
  }

  async function call(token: string, path: string, body?: unknown, target = server) {
    const isImage = Buffer.isBuffer(body);
    const response = await fetch(`${target.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': isImage ? 'image/jpeg' : 'application/json' } : {}) },
      body: body === undefined ? undefined : isImage ? new Uint8Array(body as Buffer) : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() as Record<string, any> };
  }

  const frames = (image: Buffer, count: number) =>
    Array.from({ length: count }, (_, i) => ({ base64Image: image.toString('base64'), timestamp: Date.now() + i * 150 }));

  test('a challenge is three distinct steps in random order, valid for a limited time', async () => {
    const token = await session();
    const { status, body } = await call(token, '/omni/liveness/challenge', {});
    assert.equal(status, 200);
    assert.deepEqual([...body.steps].sort(), ['blink', 'turn_left', 'turn_right']);
    const ttl = Date.parse(body.expiresAt) - Date.now();
    assert.ok(ttl > 0 && ttl <= server.config.challengeTtlSeconds * 1000);
    const orders = new Set<string>();
    for (let i = 0; i < 12; i++) orders.add((await call(token, '/omni/liveness/challenge', {})).body.steps.join());
    assert.ok(orders.size > 1, 'the order is random');
  });

  test('a still photo replayed as every frame fails; the challenge is single-use', async () => {
    const token = await session();
    const selfie = await face('genuine/london_002/2.jpg');
    const challenge = (await call(token, '/omni/liveness/challenge', {})).body;
    const early = await call(token, '/omni/add/liveness-frames', { challengeId: challenge.challengeId, frames: frames(selfie, 6) });
    assert.equal(early.status, 409, 'the selfie comes first');
    assert.equal(early.body.error.code, 'invalid_state');
    await call(token, '/omni/add/face', selfie);
    const still = await call(token, '/omni/add/liveness-frames', { challengeId: challenge.challengeId, frames: frames(selfie, 8) });
    assert.equal(still.status, 200, JSON.stringify(still.body));
    assert.equal(still.body.status, 'FAIL');
    assert.ok(still.body.reasons.length > 0);
    assert.equal(still.body.messages.length, still.body.reasons.length);
    const again = await call(token, '/omni/add/liveness-frames', { challengeId: challenge.challengeId, frames: frames(selfie, 8) });
    assert.equal(again.status, 409);
    const scores = await (await fetch(`${server.baseUrl}/omni/get/score`, { headers: { authorization: `Bearer ${token}` } })).json();
    assert.equal(scores.state, 'started');

    await call(token, '/omni/add/front-id', await generatePassport({
      issuingCountry: 'FRA', surname: 'MARTIN', givenNames: 'LEA', documentNumber: '19AB34567', birthDate: '1992-12-01',
      expiryDate: '2030-11-30', sex: 'F', portrait: await face('genuine/london_002/1.jpg'),
    }));
    const decided = await call(token, '/omni/process/face');
    assert.equal(decided.body.state, 'failed', 'a failed challenge fails the session');
    for (const reason of still.body.reasons) assert.ok(decided.body.reasons.includes(reason));
  });

  test('frames sent ahead while recording are analysed but not judged; the challenge stays open', async () => {
    const token = await session();
    const selfie = await face('genuine/london_001/2.jpg');
    await call(token, '/omni/add/face', selfie);
    const challenge = (await call(token, '/omni/liveness/challenge', {})).body;
    const frame = await sharp(selfie).resize({ width: 320 }).jpeg({ quality: 80 }).toBuffer();
    const ahead = await call(token, '/omni/liveness/prefetch-frames', { challengeId: challenge.challengeId, frames: frames(frame, 8) });
    assert.deepEqual(ahead.body, { challengeId: challenge.challengeId, received: 8 });
    const unknown = await call(token, '/omni/liveness/prefetch-frames', { challengeId: 'nope', frames: frames(frame, 1) });
    assert.equal(unknown.status, 404);
    const notImages = await call(token, '/omni/liveness/prefetch-frames', { challengeId: challenge.challengeId, frames: frames(Buffer.from('hi'), 1) });
    assert.equal(notImages.status, 422);
    const more = await call(token, '/omni/liveness/prefetch-frames', { challengeId: challenge.challengeId, frames: frames(frame, 52) });
    assert.equal(more.status, 200, 'up to a whole burst (60 frames) can be sent ahead');
    const tooMany = await call(token, '/omni/liveness/prefetch-frames', { challengeId: challenge.challengeId, frames: frames(frame, 1) });
    assert.equal(tooMany.status, 429);
    assert.equal(tooMany.body.error.code, 'rate_limited');
    // The whole burst is still judged (a still photo fails), and the challenge is used up only then.
    const judged = await call(token, '/omni/add/liveness-frames', { challengeId: challenge.challengeId, frames: frames(frame, 10) });
    assert.equal(judged.status, 200);
    assert.equal(judged.body.status, 'FAIL');
    const late = await call(token, '/omni/liveness/prefetch-frames', { challengeId: challenge.challengeId, frames: frames(frame, 1) });
    assert.equal(late.status, 409, 'a used challenge takes no more frames');
  });

  test('bad frame submissions are refused with stable codes', async () => {
    const token = await session();
    await call(token, '/omni/add/face', await face('genuine/london_001/2.jpg'));
    const first = (await call(token, '/omni/liveness/challenge', {})).body;
    const second = (await call(token, '/omni/liveness/challenge', {})).body;
    const tiny = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#777' } }).jpeg().toBuffer();
    const superseded = await call(token, '/omni/add/liveness-frames', { challengeId: first.challengeId, frames: frames(tiny, 5) });
    assert.equal(superseded.status, 409);
    const unknown = await call(token, '/omni/add/liveness-frames', { challengeId: 'nope', frames: frames(tiny, 5) });
    assert.equal(unknown.status, 404);
    const tooFew = await call(token, '/omni/add/liveness-frames', { challengeId: second.challengeId, frames: frames(tiny, 2) });
    assert.equal(tooFew.status, 400);
    assert.equal(tooFew.body.error.code, 'validation_failed');
    const notImages = await call(token, '/omni/add/liveness-frames', {
      challengeId: second.challengeId, frames: frames(Buffer.from('hello world'), 5),
    });
    assert.equal(notImages.status, 422);
    const extra = await call(token, '/omni/add/liveness-frames', { challengeId: second.challengeId, frames: frames(tiny, 5), more: 1 });
    assert.equal(extra.status, 400);
    const stillOpen = await call(token, '/omni/add/liveness-frames', { challengeId: second.challengeId, frames: frames(tiny, 5) });
    assert.equal(stillOpen.status, 200, 'rejected submissions did not use the challenge up');
  });

  test('with VERID_REQUIRE_LIVENESS a session without a passed challenge fails', async () => {
    const token = await session(strict);
    await call(token, '/omni/add/front-id', await generatePassport({
      issuingCountry: 'NLD', surname: 'DE VRIES', givenNames: 'SANNE', documentNumber: 'NX4R81K05', birthDate: '1987-03-14',
      expiryDate: '2029-03-13', sex: 'F', portrait: await face('genuine/london_001/1.jpg'),
    }), strict);
    await call(token, '/omni/add/face', await face('genuine/london_001/2.jpg'), strict);
    const decided = await call(token, '/omni/process/face', undefined, strict);
    assert.equal(decided.body.state, 'failed', JSON.stringify(decided.body));
    assert.deepEqual(decided.body.reasons, ['liveness_not_performed']);
  });

  test('a session gets a limited number of liveness tries', async () => {
    const token = await session();
    await call(token, '/omni/add/face', await face('genuine/london_003/2.jpg'));
    const blank = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } }).jpeg().toBuffer();
    for (let i = 0; i < server.config.maxCaptureAttempts; i++) {
      const challenge = (await call(token, '/omni/liveness/challenge', {})).body;
      const result = await call(token, '/omni/add/liveness-frames', { challengeId: challenge.challengeId, frames: frames(blank, 4) });
      assert.equal(result.body.status, 'FAIL');
    }
    const refused = await call(token, '/omni/liveness/challenge', {});
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'attempts_exhausted');
  });
});
