import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { Browser } from '../helpers/browser.ts';
import { completeInteraction, openCapturePage } from '../helpers/login-flow.ts';
import { authorizationRequest, testClient } from '../helpers/relying-party.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('Omni capture endpoints reject bad input with stable codes and keep state intact', () => {
  let server: TestServer;
  let token: string;
  let interviewId: string;

  before(async () => {
    server = await startTestServer({ overrides: { maxImageBytes: 200_000 } });
    const started = await server.app.verification.start({
      origin: 'omni', mode: 'enroll', environment: 'demo', clientId: null, interactionUid: null, externalId: null, loginHint: null, consent: { version: 'caller-consent-v1', at: Date.now() },
    });
    token = started.token;
    interviewId = started.session.interviewId;
  });

  after(async () => {
    await server.close();
    await closeEngines();
  });

  async function call(path: string, init: RequestInit & { auth?: string | null } = {}) {
    const headers = new Headers(init.headers);
    if (init.auth !== null) headers.set('authorization', `Bearer ${init.auth ?? token}`);
    const response = await fetch(`${server.baseUrl}${path}`, { method: 'POST', ...init, headers });
    return { status: response.status, body: await response.json() as { error?: { code: string; message: string } } & Record<string, unknown> };
  }

  async function state() {
    return (await server.app.verification.find(interviewId))?.state;
  }

  test('no image and no liveness challenge before consent; declining ends the session before anything is collected', async () => {
    const base = { origin: 'omni', mode: 'enroll', environment: 'demo', clientId: null, interactionUid: null, externalId: null, loginHint: null } as const;
    const asking = await server.app.verification.start(base);
    const jpeg = { headers: { 'content-type': 'image/jpeg' }, body: new Uint8Array(await tinyJpeg()), auth: asking.token };
    const early = await call('/omni/add/face', jpeg);
    assert.deepEqual([early.status, early.body.error?.code], [409, 'consent_required']);
    const challenge = await call('/omni/liveness/challenge', { headers: { 'content-type': 'application/json' }, body: '{}', auth: asking.token });
    assert.deepEqual([challenge.status, challenge.body.error?.code], [409, 'consent_required']);
    const json = (body: unknown, auth: string) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), auth });
    const bad = await call('/omni/consent', json({ accepted: 'yes', version: 'v1' }, asking.token));
    assert.equal(bad.status, 400);
    const agreed = await call('/omni/consent', json({ accepted: true, version: 'partner-ui-2026-11' }, asking.token));
    assert.equal(agreed.status, 200);
    assert.equal(agreed.body.consentVersion, 'partner-ui-2026-11');
    assert.ok(Date.parse(String(agreed.body.consentAt)) <= Date.now());
    assert.equal((await call('/omni/add/face', jpeg)).status, 200);
    const events = await server.app.core.sessions.listEvents(asking.session.interviewId);
    assert.deepEqual(events.map((e) => e.type).slice(0, 3), ['session.created', 'consent.given', 'image.received']);

    const declining = await server.app.verification.start(base);
    const declined = await call('/omni/consent', json({ accepted: false, version: 'partner-ui-2026-11' }, declining.token));
    assert.deepEqual([declined.status, declined.body.state], [200, 'failed']);
    assert.deepEqual((await server.app.verification.find(declining.session.interviewId))?.reasons, ['consent_declined']);
  });

  test('no token or an unknown token is 401 unauthorized', async () => {
    const missing = await call('/omni/process/id', { auth: null });
    assert.equal(missing.status, 401);
    assert.equal(missing.body.error?.code, 'unauthorized');
    const unknown = await call('/omni/process/id', { auth: 'not-a-token' });
    assert.equal(unknown.status, 401);
  });

  test('bodies that are not images are refused and nothing is stored', async () => {
    const text = await call('/omni/add/front-id', { headers: { 'content-type': 'text/plain' }, body: 'hello' });
    assert.equal(text.status, 415);
    assert.equal(text.body.error?.code, 'unsupported_media_type');
    const fake = await call('/omni/add/front-id', { headers: { 'content-type': 'image/jpeg' }, body: 'not really a jpeg' });
    assert.equal(fake.status, 422);
    assert.equal(fake.body.error?.code, 'invalid_image');
    const base64 = await call('/omni/add/face', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ base64Image: '!!!' }) });
    assert.equal(base64.status, 422);
    const unknownField = await call('/omni/add/face', {
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ base64Image: 'aGVsbG8=', extra: 1 }),
    });
    assert.equal(unknownField.status, 400);
    assert.equal(unknownField.body.error?.code, 'validation_failed');
    const badJson = await call('/omni/add/face', { headers: { 'content-type': 'application/json' }, body: '{"base64Image":' });
    assert.equal(badJson.status, 400);
    assert.equal(badJson.body.error?.code, 'invalid_request');
    assert.equal(await state(), 'created');
  });

  test('an image over the size limit is 413 payload_too_large', async () => {
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(300_000)]);
    const response = await call('/omni/add/front-id', { headers: { 'content-type': 'image/jpeg' }, body: new Uint8Array(big) });
    assert.equal(response.status, 413);
    assert.equal(response.body.error?.code, 'payload_too_large');
    assert.equal(await state(), 'created');
  });

  test('processing before the captures is 409 invalid_state; results before processing are 404', async () => {
    const processFace = await call('/omni/process/face');
    assert.equal(processFace.status, 409);
    assert.equal(processFace.body.error?.code, 'invalid_state');
    const processId = await call('/omni/process/id');
    assert.equal(processId.status, 409);
    const ocr = await fetch(`${server.baseUrl}/omni/get/ocr-data`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ocr.status, 404);
  });

  test('the JSON (base64Image) upload form is accepted and moves the session on', async () => {
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(300_000)]);
    const response = await call('/omni/add/face', {
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ base64Image: `data:image/jpeg;base64,${big.toString('base64')}` }),
    });
    assert.equal(response.status, 413, 'the 200 kB limit of this server applies to base64 images too');
    const small = await call('/omni/add/face', {
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ base64Image: (await tinyJpeg()).toString('base64') }),
    });
    assert.equal(small.status, 200, JSON.stringify(small.body));
    assert.equal(small.body.state, 'started');
    const events = await fetch(`${server.baseUrl}/omni/get/score`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await events.json()).state, 'started');
  });
});

async function tinyJpeg(): Promise<Buffer> {
  const sharp = (await import('sharp')).default;
  return sharp({ create: { width: 16, height: 16, channels: 3, background: '#888' } }).jpeg().toBuffer();
}

describe('an expired verification session', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ overrides: { sessionTtlSeconds: 1 } });
  });

  after(async () => {
    await server.close();
    await closeEngines();
  });

  test('refuses captures with 410 session_expired and the login ends with access_denied', async () => {
    const { rp } = await testClient(server);
    const { url } = await authorizationRequest(rp, { state: 'st' });
    const browser = new Browser();
    const opened = await openCapturePage(browser, url);
    const { token } = opened;
    await sleep(1200);
    const response = await fetch(`${server.baseUrl}/omni/add/face`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' }, body: new Uint8Array(await tinyJpeg()),
    });
    assert.equal(response.status, 410);
    assert.equal((await response.json()).error.code, 'session_expired');
    const scores = await (await fetch(`${server.baseUrl}/omni/get/score`, { headers: { authorization: `Bearer ${token}` } })).json();
    assert.equal(scores.state, 'expired');
    assert.deepEqual(scores.reasons, []);
    // A form posted from elsewhere (no CSRF token) is refused and changes nothing.
    const forged = await browser.request(new URL(`/interaction/${opened.uid}/complete`, server.baseUrl), { method: 'POST' });
    assert.equal(forged.status, 403);
    assert.match(await forged.text(), /did not come from your sign-in page/);
    const callback = await completeInteraction(browser, server.baseUrl, opened);
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    assert.match(callback.searchParams.get('error_description') ?? '', /expired/);
    assert.equal(callback.searchParams.get('state'), 'st');
  });
});
