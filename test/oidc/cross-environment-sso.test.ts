import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { registerClient } from '../../src/oidc/client-registration.ts';
import { Browser } from '../helpers/browser.ts';
import { face } from '../helpers/fixtures.ts';
import { verifyInBrowser } from '../helpers/login-flow.ts';
import { authorizationRequest, REDIRECT_URI } from '../helpers/relying-party.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { generatePassport } from '../support/synthetic-document.ts';

// A demo client accepts test documents (issuing state UTO); a production client must never assert
// an identity proved with one. The browser's verid session is shared by every relying party, so a
// sign-in at a demo client must not be reused as the proof for a production client.
describe('a sign-in at a demo client is not single sign-on for a production client', () => {
  let server: TestServer;

  before(async () => { server = await startTestServer(); });
  after(async () => {
    await server.close();
    await closeEngines();
  });

  async function client(environment: 'demo' | 'production', name: string) {
    const registered = await registerClient(server.app.clients, {
      name, redirectUris: [REDIRECT_URI], environment, tokenEndpointAuthMethod: 'client_secret_basic',
    }, async () => {});
    return oidc.discovery(new URL(server.baseUrl), registered.clientId, registered.clientSecret!, undefined, { execute: [oidc.allowInsecureRequests] });
  }

  test('a test document verified for a demo client yields no code at a production client in the same browser', async () => {
    const demo = await client('demo', 'Demo RP');
    const production = await client('production', 'Production RP');
    const browser = new Browser();
    // A home-made specimen passport (state UTO) with the attacker's own face and any name: demo accepts it.
    const front = await generatePassport({
      issuingCountry: 'UTO', surname: 'DOE', givenNames: 'JANE', documentNumber: 'UT1234567', birthDate: '1980-01-01', expiryDate: '2033-01-01', sex: 'F',
      portrait: await face('genuine/london_001/1.jpg'),
    });
    const demoRequest = await authorizationRequest(demo);
    const demoLogin = await verifyInBrowser(browser, demoRequest.url, { front, selfie: await face('genuine/london_001/2.jpg') });
    assert.equal(demoLogin.processFace?.state, 'succeeded', JSON.stringify(demoLogin.processFace));
    const demoTokens = await oidc.authorizationCodeGrant(demo, demoLogin.callback, {
      pkceCodeVerifier: demoRequest.verifier, expectedState: demoRequest.state, expectedNonce: demoRequest.nonce,
    });
    assert.equal(demoTokens.claims()?.family_name, 'Doe');

    // Another demo client in the same browser: single sign-on, no new verification.
    const otherDemo = await client('demo', 'Other demo RP');
    const { url: signedIn } = await browser.follow((await authorizationRequest(otherDemo)).url);
    assert.equal(signedIn.origin + signedIn.pathname, REDIRECT_URI);
    assert.ok(signedIn.searchParams.get('code'));

    // The same browser at the production relying party: it was answered with a code for the test identity.
    const productionRequest = await authorizationRequest(production);
    const { url } = await browser.follow(productionRequest.url);
    assert.notEqual(url.origin + url.pathname, REDIRECT_URI, `the production client got an answer without a verification: ${url}`);
    assert.match(url.pathname, /^\/interaction\//, 'the person verifies for the production client');

    // And there the test document fails.
    const again = await verifyInBrowser(browser, productionRequest.url, { front, selfie: await face('genuine/london_001/2.jpg') });
    assert.ok((again.processId.reasons as string[]).includes('test_document'), JSON.stringify(again.processId));
    assert.equal(again.processFace?.state, 'failed');
    assert.equal(again.callback.searchParams.get('error'), 'access_denied');
  });
});
