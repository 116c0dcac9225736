import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { Browser } from '../helpers/browser.ts';
import { face } from '../helpers/fixtures.ts';
import { agree, completeInteraction, openCapturePage, verifyInBrowser } from '../helpers/login-flow.ts';
import { authorizationRequest, testClient } from '../helpers/relying-party.ts';
import { omniCall } from '../helpers/omni-call.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { generatePassport, type SyntheticDocumentSpec } from '../support/synthetic-document.ts';

// Issue 7 §1: a value from the browser never decides whose face is compared or whose identity is
// asserted. Each test is an attack that worked before (login_hint picked the enrolled face).
describe('identity binding: login_hint is never an identity, id_token_hint is the binding', () => {
  let server: TestServer;
  let rp: oidc.Configuration;
  let otherRp: oidc.Configuration;
  const VICTIM = 'maria.lopez@example.com';

  before(async () => {
    server = await startTestServer();
    ({ rp } = await testClient(server));
    ({ rp: otherRp } = await testClient(server, { name: 'Another RP' }));
  });

  after(async () => {
    await server.close();
    await closeEngines();
  });

  function passport(spec: Partial<SyntheticDocumentSpec> & { portrait: Buffer }) {
    return generatePassport({
      issuingCountry: 'ESP', surname: 'LOPEZ', givenNames: 'MARIA', documentNumber: 'PAB123456', birthDate: '1985-07-21',
      expiryDate: '2032-01-30', sex: 'F', ...spec,
    });
  }

  const call = (token: string, path: string, body?: Buffer) => omniCall(server.baseUrl, token, path, body);

  async function login(client: oidc.Configuration, extra: Record<string, string>, images: { front: Buffer; selfie: Buffer }) {
    const request = await authorizationRequest(client, { prompt: 'login', ...extra });
    const result = await verifyInBrowser(new Browser(), request.url, images);
    assert.equal(result.processFace?.state, 'succeeded', JSON.stringify(result.processFace));
    return oidc.authorizationCodeGrant(client, result.callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
  }

  /** The page's HTML with the per-request values (interaction uid, capture token, CSRF token) blanked. */
  async function pageFor(extra: Record<string, string>) {
    const request = await authorizationRequest(rp, { prompt: 'login', ...extra });
    const browser = new Browser();
    const opened = await openCapturePage(browser, request.url);
    const html = await (await browser.request(opened.page)).text();
    const token = /data-token="([^"]+)"/.exec(html)![1]!;
    const code = /id="handoff-code">([A-Z0-9]+)</.exec(html)![1]!;
    // Per-request values: the interaction, its token and CSRF token, the interview code and the QR code (of the token).
    const normalised = html.replaceAll(opened.uid, 'UID').replaceAll(token, 'TOKEN').replaceAll(opened.csrf, 'CSRF').replaceAll(code, 'CODE')
      .replace(/src="data:image\/svg\+xml;base64,[^"]+"/, 'src="QR"');
    return { ...opened, token, browser, request, html: normalised };
  }

  let victimSub: string;
  let victimIdToken: string;

  test('login_hint of an enrolled person neither picks their face nor becomes an e-mail claim (hijack)', async () => {
    const victim = await login(rp, { login_hint: VICTIM }, {
      front: await passport({ portrait: await face('genuine/london_001/1.jpg') }), selfie: await face('genuine/london_001/2.jpg'),
    });
    victimSub = victim.claims()!.sub;
    victimIdToken = victim.id_token!;
    assert.equal(victim.claims()?.email, undefined, 'a login_hint is not a proved e-mail');

    // The attacker names the victim and enrols their own passport and face.
    const attacker = await login(rp, { login_hint: VICTIM }, {
      front: await passport({ portrait: await face('genuine/congress_B000716/1.jpg'), surname: 'REYES', givenNames: 'CARLOS', documentNumber: 'PXC998877', sex: 'M' }),
      selfie: await face('genuine/congress_B000716/2.jpg'),
    });
    assert.notEqual(attacker.claims()?.sub, victimSub);
    assert.equal(attacker.claims()?.email, undefined);
    assert.equal(attacker.claims()?.family_name, 'Reyes');

    // Naming the victim again still asks for a document: a selfie alone cannot finish.
    const hinted = await pageFor({ login_hint: VICTIM });
    assert.match(hinted.html, /id="front"/, 'the document is asked for');
    assert.match(hinted.html, /data-mode="enroll"/);
    await agree(server.baseUrl, hinted.token);
    await call(hinted.token, '/omni/add/face', await face('genuine/congress_B000716/2.jpg'));
    const refused = await call(hinted.token, '/omni/process/face');
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal((refused.body.error as { code: string }).code, 'invalid_state');
  });

  test('the page is the same whether or not the hinted person is enrolled (no enumeration)', async () => {
    const enrolled = await pageFor({ login_hint: VICTIM });
    const unknown = await pageFor({ login_hint: 'nobody.here@example.com' });
    const none = await pageFor({});
    assert.equal(enrolled.html, unknown.html);
    assert.equal(enrolled.html, none.html);
    assert.doesNotMatch(enrolled.html, /Welcome back/);
  });

  test('an ID token verid issued to this client binds a selfie-only re-verification to its subject', async () => {
    const again = await pageFor({ id_token_hint: victimIdToken });
    assert.match(again.html, /data-mode="reverify"/);
    assert.doesNotMatch(again.html, /id="front"/, 'no document asked');
    await agree(server.baseUrl, again.token);
    await call(again.token, '/omni/add/face', await face('genuine/london_001/1.jpg'));
    const decided = await call(again.token, '/omni/process/face');
    assert.equal(decided.body.state, 'succeeded', JSON.stringify(decided.body));
    const callback = await completeInteraction(again.browser, server.baseUrl, again);
    const tokens = await oidc.authorizationCodeGrant(rp, callback, {
      pkceCodeVerifier: again.request.verifier, expectedState: again.request.state, expectedNonce: again.request.nonce,
    });
    assert.equal(tokens.claims()?.sub, victimSub);
    assert.equal(tokens.claims()?.family_name, 'Lopez');

    // Someone else's face against the hinted identity fails.
    const impostor = await pageFor({ id_token_hint: victimIdToken });
    await agree(server.baseUrl, impostor.token);
    await call(impostor.token, '/omni/add/face', await face('genuine/congress_B000716/2.jpg'));
    const mismatch = await call(impostor.token, '/omni/process/face');
    assert.equal(mismatch.body.state, 'failed');
    assert.deepEqual(mismatch.body.reasons, ['face_mismatch']);
  });

  test('an ID token older than VERID_ID_TOKEN_HINT_MAX_AGE_SECONDS no longer binds a selfie-only re-verification', async () => {
    const strict = await startTestServer({ overrides: { idTokenHintMaxAgeSeconds: 1 } });
    try {
      const { rp: strictRp } = await testClient(strict);
      const request = await authorizationRequest(strictRp, { prompt: 'login' });
      const result = await verifyInBrowser(new Browser(), request.url, {
        front: await passport({ portrait: await face('genuine/london_003/1.jpg'), surname: 'GARCIA', documentNumber: 'PGA556677' }),
        selfie: await face('genuine/london_003/2.jpg'),
      });
      const tokens = await oidc.authorizationCodeGrant(strictRp, result.callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const old = await authorizationRequest(strictRp, { prompt: 'login', id_token_hint: tokens.id_token! });
      const browser = new Browser();
      const opened = await openCapturePage(browser, old.url);
      const html = await (await browser.request(opened.page)).text();
      assert.match(html, /data-mode="enroll"/, 'document + selfie again');
    } finally {
      await strict.close();
    }
  });

  test('an ID token issued to another client, or altered, is refused as a hint', async () => {
    for (const hint of [victimIdToken, `${victimIdToken.slice(0, -4)}AAAA`]) {
      const client = hint === victimIdToken ? otherRp : rp;
      const request = await authorizationRequest(client, { prompt: 'login', id_token_hint: hint });
      const { url } = await new Browser().follow(request.url);
      assert.equal(url.searchParams.get('error'), 'invalid_request', `expected a refusal, went to ${url}`);
      assert.match(url.searchParams.get('error_description') ?? '', /id_token_hint/);
    }
  });
});
