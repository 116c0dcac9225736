import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { Browser } from '../helpers/browser.ts';
import { face } from '../helpers/fixtures.ts';
import { verifyInBrowser } from '../helpers/login-flow.ts';
import { authorizationRequest, testClient } from '../helpers/relying-party.ts';
import { postgresUrl } from '../helpers/test-database.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { generateIdCard } from '../support/synthetic-document.ts';

describe('login on PostgreSQL', { skip: postgresUrl() ? false : 'set DATABASE_URL to a PostgreSQL server to run' }, () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ dialect: 'postgres' });
  });

  after(async () => {
    await server?.close();
    await closeEngines();
  });

  test('an ID card (TD1) verification logs the user in and the code is redeemed', async () => {
    assert.equal(server.app.database.dialect, 'postgres');
    const { rp } = await testClient(server);
    const card = await generateIdCard({
      issuingCountry: 'DEU', surname: 'MUELLER', givenNames: 'JONAS', documentNumber: 'T22000129', birthDate: '1979-03-08',
      expiryDate: '2029-12-31', sex: 'M', portrait: await face('genuine/london_005/1.jpg'),
    });
    const request = await authorizationRequest(rp);
    const result = await verifyInBrowser(new Browser(), request.url, { front: card, selfie: await face('genuine/london_005/2.jpg') });
    assert.equal(result.processFace?.state, 'succeeded', JSON.stringify(result.processFace));
    const tokens = await oidc.authorizationCodeGrant(rp, result.callback, {
      pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce,
    });
    const claims = tokens.claims();
    assert.equal(claims?.family_name, 'Mueller');
    assert.equal(claims?.given_name, 'Jonas');
    assert.equal(claims?.birthdate, '1979-03-08');
    const userinfo = await oidc.fetchUserInfo(rp, tokens.access_token, claims!.sub);
    assert.equal(userinfo.gender, 'male');
  });
});
