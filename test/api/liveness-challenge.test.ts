import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { DataCipher } from '../../src/security/index.ts';
import { STEP_MIN_MS } from '../../src/verification/index.ts';
import { contentDigest } from '../../src/verification/content-digest.ts';
import { face } from '../helpers/fixtures.ts';
import { omniCall } from '../helpers/omni-call.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { generatePassport } from '../support/synthetic-document.ts';

// Issue 7 §2: the server reveals liveness steps one at a time and orders and times the frames by
// its own receipt; every challenge issued is an attempt; a frame used before is refused.
describe('liveness challenge endpoints', () => {
  let server: TestServer;
  let strict: TestServer;

  before(async () => {
    server = await startTestServer();
    strict = await startTestServer({ overrides: { requireLiveness: true, maxChallengesPerHour: 2 } });
  });
  after(async () => {
    await server.close();
    await strict.close();
    await closeEngines();
  });

  async function session(target = server) {
    return (await target.app.verification.start({
      origin: 'omni', mode: 'enroll', environment: 'demo', clientId: null, interactionUid: null, externalId: null, loginHint: null, consent: { version: 'caller-consent-v1', at: Date.now() },
    })).token;
  }

  const call = (token: string, path: string, body?: unknown, target = server) => omniCall(target.baseUrl, token, path, body);

  /** `count` different frames of a photo (a little shift and zoom each), as base64 JPEGs. */
  async function frames(image: Buffer, count: number, variant = 0) {
    const { width = 0, height = 0 } = await sharp(image).metadata();
    return Promise.all(Array.from({ length: count }, async (_, i) => {
      const k = variant * count + i + 1;
      const crop = { left: k % 7, top: k % 5, width: width - 8, height: height - 6 };
      return { base64Image: (await sharp(image).extract(crop).resize({ width: 320 }).jpeg({ quality: 80 - (k % 10) }).toBuffer()).toString('base64') };
    }));
  }

  const step = (token: string, challengeId: string, index: number, sent: unknown[], done: boolean, target = server) =>
    call(token, '/omni/add/liveness-frames', { challengeId, step: index, done, frames: sent }, target);

  test('a challenge reveals only its first step; the others come one at a time', async () => {
    const token = await session();
    await call(token, '/omni/add/face', await face('genuine/london_002/2.jpg'));
    const { status, body } = await call(token, '/omni/liveness/challenge', {});
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.totalSteps, server.config.livenessSteps);
    assert.equal(body.steps, undefined, 'the sequence is never sent ahead');
    assert.equal(body.step.index, 0);
    assert.ok(['turn_left', 'turn_right', 'blink'].includes(body.step.action));
    const ttl = Date.parse(body.expiresAt) - Date.now();
    assert.ok(ttl > 0 && ttl <= server.config.challengeTtlSeconds * 1000);

    const photo = await frames(await face('genuine/london_002/2.jpg'), 8);
    const ahead = await step(token, body.challengeId, 1, photo.slice(0, 2), false);
    assert.equal(ahead.status, 409, 'frames for a step not yet revealed are refused');
    assert.equal(ahead.body.error.code, 'conflict');
    const kept = await step(token, body.challengeId, 0, photo.slice(0, 2), false);
    assert.deepEqual([kept.status, kept.body.status, kept.body.next], [200, 'IN_PROGRESS', null]);
    await sleep(STEP_MIN_MS);
    const done = await step(token, body.challengeId, 0, photo.slice(2, 4), true);
    assert.equal(done.body.status, 'IN_PROGRESS');
    assert.equal(done.body.next.index, 1);
    assert.ok(Date.parse(done.body.next.deadlineAt) > Date.now());
    const stale = await step(token, body.challengeId, 0, photo.slice(4, 5), false);
    assert.equal(stale.status, 409, 'a finished step takes no more frames');
    // A still photo through every step fails: no move was made.
    let result = done.body;
    for (let index = 1; index < body.totalSteps; index++) {
      await sleep(STEP_MIN_MS);
      result = (await step(token, body.challengeId, index, await frames(await face('genuine/london_002/2.jpg'), 3, index), true)).body;
    }
    assert.equal(result.status, 'FAIL');
    assert.deepEqual(result.reasons, ['challenge_not_performed']);
    assert.equal(result.messages.length, 1);
    assert.equal((await step(token, body.challengeId, body.totalSteps - 1, [], true)).status, 409, 'single use');
  });

  test('a step finished faster than a person can move, or after its deadline, fails the challenge', async () => {
    const token = await session();
    const photo = await frames(await face('genuine/london_001/2.jpg'), 4);
    const fast = (await call(token, '/omni/liveness/challenge', {})).body;
    const rushed = await step(token, fast.challengeId, 0, photo, true);
    assert.deepEqual([rushed.body.status, rushed.body.reasons], ['FAIL', ['challenge_too_fast']]);

    const slow = (await call(token, '/omni/liveness/challenge', {})).body;
    await server.app.database.db.updateTable('liveness_challenges').set({ step_revealed_at: Date.now() - 60_000 })
      .where('id', '=', slow.challengeId).execute();
    const late = await step(token, slow.challengeId, 0, await frames(await face('genuine/london_001/2.jpg'), 4, 1), true);
    assert.deepEqual([late.body.status, late.body.reasons], ['FAIL', ['challenge_expired']]);
  });

  test('frames already sent in an earlier challenge are refused (a re-used burst)', async () => {
    const token = await session();
    const photo = await frames(await face('genuine/london_003/2.jpg'), 6);
    const first = (await call(token, '/omni/liveness/challenge', {})).body;
    assert.equal((await step(token, first.challengeId, 0, photo.slice(0, 3), false)).body.status, 'IN_PROGRESS');
    const second = (await call(token, '/omni/liveness/challenge', {})).body;
    const reused = await step(token, second.challengeId, 0, [photo[1], ...photo.slice(3)], false);
    assert.deepEqual([reused.body.status, reused.body.reasons], ['FAIL', ['challenge_replayed']]);
    assert.match(reused.body.messages[0], /already used/);
  });

  test('issuing is an attempt: re-rolling challenges until a convenient one comes up is refused', async () => {
    const token = await session();
    for (let i = 0; i < server.config.maxCaptureAttempts; i++) assert.equal((await call(token, '/omni/liveness/challenge', {})).status, 200);
    const refused = await call(token, '/omni/liveness/challenge', {});
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'attempts_exhausted');
  });

  test('one person gets a limited number of challenges per hour across sessions', async () => {
    const passport = await generatePassport({
      issuingCountry: 'IRL', surname: 'BYRNE', givenNames: 'AOIFE', documentNumber: 'PB4417702', birthDate: '1991-06-02',
      expiryDate: '2031-06-01', sex: 'F', portrait: await face('genuine/london_005/1.jpg'),
    });
    const issued: number[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await session(strict);
      await call(token, '/omni/add/front-id', passport, strict);
      assert.equal((await call(token, '/omni/process/id', undefined, strict)).status, 200);
      for (let i = 0; i < 2; i++) issued.push((await call(token, '/omni/liveness/challenge', {}, strict)).status);
    }
    assert.deepEqual(issued, [200, 200, 429, 429], 'a new session for the same document does not reset the count');
    const other = await session(strict);
    assert.equal((await call(other, '/omni/liveness/challenge', {}, strict)).status, 200, 'someone else is not affected');
  });

  test('bad frame submissions are refused with stable codes and do not use the challenge up', async () => {
    const token = await session();
    const first = (await call(token, '/omni/liveness/challenge', {})).body;
    const second = (await call(token, '/omni/liveness/challenge', {})).body;
    const photo = await frames(await face('genuine/london_001/2.jpg'), 2, 5);
    assert.equal((await step(token, first.challengeId, 0, photo, false)).status, 409, 'superseded');
    assert.equal((await step(token, 'nope', 0, photo, false)).status, 404);
    const notImages = await step(token, second.challengeId, 0, [{ base64Image: Buffer.from('hello world').toString('base64') }], false);
    assert.equal(notImages.status, 422);
    const extra = await call(token, '/omni/add/liveness-frames', { challengeId: second.challengeId, step: 0, done: false, frames: photo, more: 1 });
    assert.equal(extra.status, 400);
    const tooMany = await step(token, second.challengeId, 0, Array.from({ length: 41 }, () => photo[0]), false);
    assert.equal(tooMany.status, 400);
    const open = await step(token, second.challengeId, 0, photo, false);
    assert.deepEqual([open.status, open.body.status], [200, 'IN_PROGRESS']);
  });

  test('a passed challenge holds only for the selfie it was matched to: swapping in another photo afterwards fails', async () => {
    const cipher = new DataCipher(strict.config.masterKey);
    const digest = (image: Buffer) => contentDigest({ blindIndex: (value, purpose) => cipher.blindIndex(value, purpose) }, image, 'selfie');
    const victimPassport = await generatePassport({
      issuingCountry: 'BEL', surname: 'PEETERS', givenNames: 'LOTTE', documentNumber: 'EP7731904', birthDate: '1993-04-11',
      expiryDate: '2030-04-10', sex: 'F', portrait: await face('genuine/london_003/1.jpg'),
    });
    const victimPhoto = await face('genuine/london_003/2.jpg');
    const attackerSelfie = await face('genuine/congress_B000911/2.jpg');
    // A challenge the attacker passed live, with their own selfie (recorded as the server records a pass).
    const passedWith = async (token: string, selfie: Buffer) => {
      const interviewId = (await strict.app.verification.authenticate(token)).interviewId;
      await strict.app.database.db.insertInto('liveness_challenges').values({
        id: `passed-${interviewId}`, session_id: interviewId, steps: '["blink","turn_left","blink"]', issued_at: Date.now(), expires_at: Date.now() + 60_000,
        completed_at: Date.now(), status: 'passed', result: JSON.stringify({ reasons: [], livenessScore: 0.99, selfieDigest: digest(selfie) }),
        frames_encrypted: null, revealed: 3, step_revealed_at: Date.now(), subject_key: null,
      }).execute();
    };
    const swapped = await session(strict);
    await call(swapped, '/omni/add/front-id', victimPassport, strict);
    await call(swapped, '/omni/add/face', attackerSelfie, strict);
    await passedWith(swapped, attackerSelfie);
    await call(swapped, '/omni/add/face', victimPhoto, strict);
    const refused = await call(swapped, '/omni/process/face', undefined, strict);
    assert.equal(refused.body.state, 'failed', JSON.stringify(refused.body));
    assert.deepEqual(refused.body.reasons, ['challenge_face_changed']);

    // The same, with the challenge matched to the selfie that is judged: it succeeds.
    const honest = await session(strict);
    await call(honest, '/omni/add/front-id', victimPassport, strict);
    await call(honest, '/omni/add/face', victimPhoto, strict);
    await passedWith(honest, victimPhoto);
    const decided = await call(honest, '/omni/process/face', undefined, strict);
    assert.equal(decided.body.state, 'succeeded', JSON.stringify(decided.body));
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
});
