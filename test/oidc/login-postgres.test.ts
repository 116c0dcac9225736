import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { Browser } from '../helpers/browser.ts';
import { face } from '../helpers/fixtures.ts';
import { verifyInBrowser } from '../helpers/login-flow.ts';
import { authorizationRequest, raceTokenRequests, REDIRECT_URI, testClient } from '../helpers/relying-party.ts';
import { postgresUrl } from '../helpers/test-database.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { generateIdCard } from '../support/synthetic-document.ts';

describe('login on PostgreSQL', { skip: postgresUrl() ? false : 'set DATABASE_URL to a PostgreSQL server to run' }, () => {
  let server: TestServer;
  let client: Awaited<ReturnType<typeof testClient>>;
  const browser = new Browser();

  before(async () => {
    server = await startTestServer({ dialect: 'postgres' });
  });

  after(async () => {
    await server?.close();
    await closeEngines();
  });

  test('an ID card (TD1) verification logs the user in and the code is redeemed', async () => {
    assert.equal(server.app.database.dialect, 'postgres');
    client = await testClient(server);
    const { rp } = client;
    const card = await generateIdCard({
      issuingCountry: 'DEU', surname: 'MUELLER', givenNames: 'JONAS', documentNumber: 'T22000129', birthDate: '1979-03-08',
      expiryDate: '2029-12-31', sex: 'M', portrait: await face('genuine/london_005/1.jpg'),
    });
    const request = await authorizationRequest(rp);
    const result = await verifyInBrowser(browser, request.url, { front: card, selfie: await face('genuine/london_005/2.jpg') });
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

  // With PostgreSQL two requests really run at once (on SQLite a request without I/O finishes before the next is read).
  test('a code or refresh token presented several times at once is used once; the race counts as reuse and revokes the grant', async () => {
    const { rp } = client;
    const signIn = async (extra: Record<string, string> = {}) => {
      const request = await authorizationRequest(rp, extra);
      const { url: callback } = await browser.follow(request.url);
      assert.equal(callback.origin + callback.pathname, REDIRECT_URI, `not redirected back: ${callback}`);
      return { request, callback };
    };
    const credentials = { clientId: client.clientId, clientSecret: client.clientSecret! };
    const expectOneAtMost = async (answers: Awaited<ReturnType<typeof raceTokenRequests>>) => {
      const issued = answers.filter((a) => a.status === 200);
      assert.ok(issued.length <= 1, `used once at most, got ${issued.length} of ${JSON.stringify(answers.map((a) => a.status))}`);
      assert.ok(answers.every((a) => a.status === 200 || (a.status === 400 && a.body.error === 'invalid_grant')), JSON.stringify(answers.map((a) => a.body.error)));
      for (const { body } of issued) assert.equal((await oidc.tokenIntrospection(rp, body.access_token!)).active, false, 'the reuse revoked what was issued');
    };

    const { request, callback } = await signIn();
    await expectOneAtMost(await raceTokenRequests(server.baseUrl, credentials, {
      grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: REDIRECT_URI, code_verifier: request.verifier,
    }));

    const offline = await signIn({ scope: 'openid profile offline_access', prompt: 'consent' });
    const tokens = await oidc.authorizationCodeGrant(rp, offline.callback, {
      pkceCodeVerifier: offline.request.verifier, expectedState: offline.request.state, expectedNonce: offline.request.nonce,
    });
    await expectOneAtMost(await raceTokenRequests(server.baseUrl, credentials, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }));
  });
});
