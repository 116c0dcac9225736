import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import { registerClient } from '../../src/oidc/client-registration.ts';
import { Browser } from '../helpers/browser.ts';
import { verifyInBrowser } from '../helpers/login-flow.ts';
import { authorizationRequest, REDIRECT_URI, testClient } from '../helpers/relying-party.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';

const demoFile = (name: string) => readFile(new URL(`../../demo/${name}`, import.meta.url));

/** What brokers need of the protocol (Entra External ID, Azure AD B2C, Entra EAM, Ping): issue 11's protocol gaps. */
describe('broker protocol needs: POST authorization requests, PKCE per client, ES256 per client, back-channel logout', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(async () => {
    await server.close();
    await closeEngines();
  });

  test('discovery advertises back-channel logout; the authorization endpoint takes POST (OIDC Core §3.1.2.1)', async () => {
    const { rp, clientId } = await testClient(server);
    assert.equal(rp.serverMetadata().backchannel_logout_supported, true);
    const { url } = await authorizationRequest(rp);
    const posted = await new Browser().follow(`${server.baseUrl}/oauth2/authorize`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: url.searchParams.toString(),
    });
    assert.equal(posted.response.status, 200, 'the posted request reaches the capture page');
    assert.match(posted.url.pathname, /^\/interaction\//);
    const repeated = await fetch(`${server.baseUrl}/oauth2/authorize`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `${url.searchParams}&state=again`,
    });
    assert.equal(repeated.status, 400, 'a parameter given twice is refused, as at GET');
    assert.ok(clientId);
  });

  test('PKCE is required by default; a client registered with PKCE optional signs in without it and gets an ES256 ID token', async () => {
    const { rp } = await testClient(server);
    const withoutPkce = oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT_URI, scope: 'openid', state: 's1', nonce: 'n1' });
    const refused = await new Browser().follow(withoutPkce);
    assert.equal(refused.url.searchParams.get('error'), 'invalid_request', `got ${refused.url}`);

    const broker = await registerClient(server.app.clients, {
      name: 'B2C', redirectUris: [REDIRECT_URI], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_post', pkceRequired: false, idTokenAlg: 'ES256',
    }, async (metadata) => { await server.app.oidc.provider.Client.validate(metadata as never); });
    const b2c = await oidc.discovery(new URL(server.baseUrl), broker.clientId, { client_secret: broker.clientSecret!, id_token_signed_response_alg: 'ES256' },
      oidc.ClientSecretPost(broker.clientSecret!), { execute: [oidc.allowInsecureRequests] });
    const url = oidc.buildAuthorizationUrl(b2c, { redirect_uri: REDIRECT_URI, scope: 'openid profile', state: 's2', nonce: 'n2' });
    const { callback } = await verifyInBrowser(new Browser(), url, { front: await demoFile('passport-hughes.jpg'), selfie: await demoFile('selfie-hughes.jpg') });
    const tokens = await oidc.authorizationCodeGrant(b2c, callback, { expectedState: 's2', expectedNonce: 'n2' });
    assert.equal(decodeProtectedHeader(tokens.id_token!).alg, 'ES256');
    assert.equal(tokens.claims()?.family_name, 'Hughes');
  });

  test('prompt=select_account (brokers send it) means a verification now, and ends with a code', async () => {
    const { rp } = await testClient(server);
    const request = await authorizationRequest(rp, { prompt: 'select_account' });
    const { callback } = await verifyInBrowser(new Browser(), request.url, { front: await demoFile('passport-hughes.jpg'), selfie: await demoFile('selfie-hughes.jpg') });
    assert.ok(callback.searchParams.get('code'), `expected a code, got ${callback}`);
    const tokens = await oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    assert.equal(tokens.claims()?.family_name, 'Hughes');
  });

  test('response types and back-channel logout are registered only as valid metadata', async () => {
    const eam = await registerClient(server.app.clients, {
      name: 'Entra EAM', redirectUris: ['https://login.microsoftonline.com/common/federation/externalauthprovider'], environment: 'production',
      tokenEndpointAuthMethod: 'client_secret_basic', responseTypes: ['id_token'], backchannelLogoutUri: 'https://broker.example.com/bclogout',
    }, async (metadata) => { await server.app.oidc.provider.Client.validate(metadata as never); });
    assert.deepEqual(eam.record.metadata.response_types, ['id_token']);
    assert.deepEqual(eam.record.metadata.grant_types, ['implicit']);
    assert.equal(eam.record.metadata.backchannel_logout_uri, 'https://broker.example.com/bclogout');
    await assert.rejects(registerClient(server.app.clients, {
      kind: 'api', name: 'x', redirectUris: [], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_basic', pkceRequired: false,
    }, async () => undefined), /OIDC clients/);
  });
});
