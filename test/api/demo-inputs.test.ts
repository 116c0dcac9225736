import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { registerClient } from '../../src/oidc/client-registration.ts';
import { face } from '../helpers/fixtures.ts';
import { generatePassport } from '../support/synthetic-document.ts';
import { omniCall } from '../helpers/omni-call.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';

const demoFile = (name: string) => readFile(new URL(`../../demo/${name}`, import.meta.url));

/** Every documented test input (docs/testing.md) gives its outcome through the real pipeline; production refuses them. */
describe('demo environment test inputs', () => {
  let server: TestServer;
  const keys: Record<'demo' | 'production', string> = { demo: '', production: '' };

  before(async () => {
    server = await startTestServer({ overrides: { flows: '{"strict":{"documentTypes":["id_card"],"requireExpectedName":true},"short":{"mediaDays":2},"again":{"mode":"auto"}}' } });
    for (const environment of ['demo', 'production'] as const) {
      const client = await registerClient(server.app.clients, {
        kind: 'api', name: `ATS ${environment}`, redirectUris: [], environment, tokenEndpointAuthMethod: 'client_secret_basic',
      }, async () => undefined);
      keys[environment] = `${client.clientId}.${client.clientSecret}`;
    }
  });
  after(async () => {
    await server.close();
    await closeEngines();
  });

  async function start(environment: 'demo' | 'production', body: Record<string, unknown> = {}) {
    const response = await fetch(`${server.baseUrl}/omni/start`, {
      method: 'POST', headers: { 'x-api-key': keys[environment], 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  async function run(environment: 'demo' | 'production', document: string, selfie: string, body: Record<string, unknown> = {}) {
    const started = await start(environment, body);
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const call = (path: string, payload?: unknown) => omniCall(server.baseUrl, started.body.token, path, payload);
    await call('/omni/consent', { accepted: true, version: 'demo-test' });
    assert.equal((await call('/omni/add/front-id', await demoFile(document))).status, 200);
    await call('/omni/process/id');
    assert.equal((await call('/omni/add/face', await demoFile(selfie))).status, 200);
    const decided = await call('/omni/process/face');
    return decided.body as { state: string; reasons: string[] };
  }

  const cases: Array<[string, string, string, Record<string, unknown>, string, string[]]> = [
    ['succeeded', 'passport-hughes.jpg', 'selfie-hughes.jpg', {}, 'succeeded', []],
    ['pending_review: a near name match', 'passport-hughes.jpg', 'selfie-hughes.jpg', { candidate: { name: 'Amelia Hughs' } }, 'pending_review', ['name_near_match']],
    ['failed: name_mismatch', 'passport-hughes.jpg', 'selfie-hughes.jpg', { candidate: { name: 'John Smith' } }, 'failed', ['name_mismatch']],
    ['failed: face_mismatch', 'passport-hughes.jpg', 'selfie-someone-else.jpg', {}, 'failed', ['face_mismatch']],
    ['failed: document_expired', 'passport-hughes-expired.jpg', 'selfie-hughes.jpg', {}, 'failed', ['document_expired']],
    ['failed: document_face_not_found', 'passport-no-portrait.jpg', 'selfie-hughes.jpg', {}, 'failed', ['document_face_not_found']],
    ['failed: document_type_not_accepted (flow)', 'passport-hughes.jpg', 'selfie-hughes.jpg', { configurationId: 'strict', candidate: { name: 'Amelia Hughes' } }, 'failed', ['document_type_not_accepted']],
  ];
  for (const [name, document, selfie, body, state, reasons] of cases) {
    test(`demo: ${name}`, async () => {
      const outcome = await run('demo', document, selfie, body);
      assert.equal(outcome.state, state, JSON.stringify(outcome));
      for (const reason of reasons) assert.ok(outcome.reasons.includes(reason), `${reason} in ${JSON.stringify(outcome)}`);
    });
  }

  test('demo: expired, with demo.expiresInSeconds', async () => {
    const started = await start('demo', { demo: { expiresInSeconds: 1 } });
    await sleep(1500);
    const view = await fetch(`${server.baseUrl}/v1/sessions/${started.body.interviewId}`, { headers: { 'x-api-key': keys.demo } });
    const body = await view.json() as { state: string; onboardingStatus: string };
    assert.deepEqual([body.state, body.onboardingStatus], ['expired', 'EXPIRED']);
  });

  test('production refuses the test documents and the demo settings', async () => {
    const outcome = await run('production', 'passport-hughes.jpg', 'selfie-hughes.jpg');
    assert.equal(outcome.state, 'failed', JSON.stringify(outcome));
    assert.ok(outcome.reasons.includes('test_document'), JSON.stringify(outcome));
    const refused = await start('production', { demo: { expiresInSeconds: 1 } });
    assert.deepEqual([refused.status, refused.body.error.code, refused.body.error.details.field], [400, 'validation_failed', 'body/demo']);
  });

  test('a flow that keeps images for less time is erased sooner by the retention sweep', async () => {
    const short = await start('demo', { configurationId: 'short' });
    const normal = await start('demo', {});
    for (const started of [short, normal]) {
      const call = (path: string, payload?: unknown) => omniCall(server.baseUrl, started.body.token, path, payload);
      await call('/omni/consent', { accepted: true, version: 'demo-test' });
      await call('/omni/add/front-id', await demoFile('passport-hughes.jpg'));
      await call('/omni/process/id');
      await call('/omni/add/face', await demoFile('selfie-hughes.jpg'));
      assert.equal((await call('/omni/process/face')).body.state, 'succeeded');
    }
    const images = async (id: string) => (await fetch(`${server.baseUrl}/omni/get/images?id=${id}`, { headers: { 'x-api-key': keys.demo } })).json() as Promise<{ images: object }>;
    await server.app.verification.purgeRetention(Date.now() + 3 * 86_400_000);
    assert.deepEqual((await images(short.body.interviewId)).images, {}, 'the short flow\'s images are gone after 2 days');
    assert.deepEqual(Object.keys((await images(normal.body.interviewId)).images).sort(), ['face', 'front'], 'the default flow keeps them for 30');
  });

  test('a face enrolled in demo (test passport) does not hold up the same person\'s production enrolment (no duplicate across environments)', async () => {
    const demoRun = await run('demo', 'passport-hughes.jpg', 'selfie-hughes.jpg');
    assert.equal(demoRun.state, 'succeeded');
    const started = await start('production', {});
    const call = (path: string, payload?: unknown) => omniCall(server.baseUrl, started.body.token, path, payload);
    await call('/omni/consent', { accepted: true, version: 'demo-test' });
    await call('/omni/add/front-id', await generatePassport({
      issuingCountry: 'GBR', surname: 'HUGHES', givenNames: 'AMELIA', documentNumber: '533018472', birthDate: '1993-06-21', expiryDate: '2033-02-11', sex: 'F',
      portrait: await face('genuine/london_001/1.jpg'),
    }));
    await call('/omni/process/id');
    await call('/omni/add/face', await demoFile('selfie-hughes.jpg'));
    const decided = await call('/omni/process/face');
    assert.equal(decided.body.state, 'succeeded', JSON.stringify(decided.body));
  });

  test('a flow with mode auto re-verifies an identity the client verified itself, with a selfie only; a foreign identity is not found', async () => {
    const first = await start('demo', {});
    const call = (token: string) => (path: string, payload?: unknown) => omniCall(server.baseUrl, token, path, payload);
    const enrol = call(first.body.token);
    await enrol('/omni/consent', { accepted: true, version: 'demo-test' });
    await enrol('/omni/add/front-id', await demoFile('passport-hughes.jpg'));
    await enrol('/omni/process/id');
    await enrol('/omni/add/face', await demoFile('selfie-hughes.jpg'));
    assert.equal((await enrol('/omni/process/face')).body.state, 'succeeded');
    const view = await (await fetch(`${server.baseUrl}/v1/sessions/${first.body.interviewId}`, { headers: { 'x-api-key': keys.demo } })).json() as { identityId: string };
    assert.ok(view.identityId, 'a succeeded session names its identity');

    for (const [selfie, state] of [['selfie-hughes.jpg', 'succeeded'], ['selfie-someone-else.jpg', 'failed']] as const) {
      const again = await start('demo', { configurationId: 'again', identityId: view.identityId });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      const reverify = call(again.body.token);
      await reverify('/omni/consent', { accepted: true, version: 'demo-test' });
      assert.equal((await reverify('/omni/add/front-id', await demoFile('passport-hughes.jpg'))).status, 400, 'no document in a re-verification');
      await reverify('/omni/add/face', await demoFile(selfie));
      assert.equal((await reverify('/omni/process/face')).body.state, state, selfie);
    }
    const defaultFlow = await start('demo', { identityId: view.identityId });
    assert.deepEqual([defaultFlow.status, defaultFlow.body.error.details.field], [400, 'body/identityId'], 'the default flow enrols');
    const foreign = await start('production', { configurationId: 'again', identityId: view.identityId });
    assert.deepEqual([foreign.status, foreign.body.error.code], [404, 'not_found'], 'another client cannot name this identity');
  });

  test('a flow that needs the name refuses a start without it', async () => {
    const refused = await start('demo', { configurationId: 'strict' });
    assert.deepEqual([refused.status, refused.body.error.details.field], [400, 'body/candidate/name']);
  });
});
