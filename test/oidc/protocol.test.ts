import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { registerClient, type TokenEndpointAuthMethod } from '../../src/oidc/client-registration.ts';
import { rotateSigningKeys } from '../../src/oidc/signing-keys.ts';
import { DataCipher } from '../../src/security/index.ts';
import { SigningKeyRepository } from '../../src/storage/index.ts';
import { Browser } from '../helpers/browser.ts';
import { face } from '../helpers/fixtures.ts';
import { signOutAtVerid, verifyInBrowser } from '../helpers/login-flow.ts';
import { authorizationRequest, raceTokenRequests as raceTokens, REDIRECT_URI } from '../helpers/relying-party.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { generatePassport } from '../support/synthetic-document.ts';

const LOGOUT_URI = 'https://rp.example.com/signed-out';

/** OAuth 2.0 / OIDC protocol behaviour around a logged-in browser (one real verification, then SSO). */
describe('OIDC protocol rules', () => {
  let server: TestServer;
  let browser: Browser;
  let rp: oidc.Configuration;
  let secret: string;
  let clientId: string;

  async function newClient(method: TokenEndpointAuthMethod, extra: { jwks?: { keys: object[] } } = {}) {
    return registerClient(server.app.clients, {
      name: `RP ${method}`, redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [LOGOUT_URI], environment: 'demo',
      tokenEndpointAuthMethod: method, ...extra,
    }, async () => {});
  }

  async function discover(id: string, clientSecret: string | undefined, auth?: oidc.ClientAuth) {
    return oidc.discovery(new URL(server.baseUrl), id, clientSecret, auth, { execute: [oidc.allowInsecureRequests] });
  }

  /** Authorization request in the already logged-in browser: returns the callback URL directly. */
  async function codeFor(config: oidc.Configuration, extra: Record<string, string> = {}) {
    const { url, verifier, state, nonce } = await authorizationRequest(config, extra);
    const { url: callback } = await browser.follow(url);
    assert.equal(callback.origin + callback.pathname, REDIRECT_URI, `not redirected back: ${callback}`);
    return { callback, verifier, state, nonce };
  }

  before(async () => {
    server = await startTestServer();
    const registered = await newClient('client_secret_basic');
    clientId = registered.clientId;
    secret = registered.clientSecret!;
    rp = await discover(clientId, secret);
    browser = new Browser();
    const passport = await generatePassport({
      issuingCountry: 'CAN', surname: 'TREMBLAY', givenNames: 'NOAH', documentNumber: 'HK5521907', birthDate: '1985-11-02',
      expiryDate: '2031-01-15', sex: 'M', portrait: await face('genuine/london_003/1.jpg'),
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(rp, {
      redirect_uri: REDIRECT_URI, scope: 'openid profile', state: 's', nonce: 'n',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const login = await verifyInBrowser(browser, url, { front: passport, selfie: await face('genuine/london_003/2.jpg') });
    assert.ok(login.callback.searchParams.get('code'), `login failed: ${login.callback}`);
  });

  after(async () => {
    await server.close();
    await closeEngines();
  });

  test('discovery advertises identity assurance support', async () => {
    const metadata = rp.serverMetadata() as Record<string, unknown>;
    assert.equal(metadata.verified_claims_supported, true);
    assert.deepEqual(metadata.evidence_supported, ['document']);
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    assert.ok((metadata.id_token_signing_alg_values_supported as string[]).includes('RS256'));
    const jwks = await (await fetch(`${server.baseUrl}/oauth2/jwks`)).json() as { keys: Array<{ alg: string; kid: string; d?: string }> };
    assert.deepEqual(jwks.keys.map((k) => k.alg).sort(), ['ES256', 'RS256']);
    assert.ok(jwks.keys.every((k) => k.kid && k.d === undefined), 'public keys only, each with a kid');
  });

  test('a wrong client secret is invalid_client', async () => {
    const { callback, verifier, state } = await codeFor(rp);
    const wrong = await discover(clientId, `${secret}x`);
    await assert.rejects(oidc.authorizationCodeGrant(wrong, callback, { pkceCodeVerifier: verifier, expectedState: state }),
      (error: oidc.ResponseBodyError) => error.error === 'invalid_client');
  });

  test('a redirect_uri differing by one character is refused with an error page, never a redirect', async () => {
    const url = oidc.buildAuthorizationUrl(rp, {
      redirect_uri: 'https://rp.example.com/callbacK', scope: 'openid', state: 's', nonce: 'n',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
    });
    const response = await browser.request(url);
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await response.text(), /redirect_uri/);
  });

  test('a code can be redeemed once; reuse is invalid_grant and revokes what it issued', async () => {
    const { callback, verifier, state, nonce } = await codeFor(rp);
    const tokens = await oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const before = await oidc.tokenIntrospection(rp, tokens.access_token);
    assert.equal(before.active, true);
    await assert.rejects(oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }),
      (error: oidc.ResponseBodyError) => error.error === 'invalid_grant');
    const afterReuse = await oidc.tokenIntrospection(rp, tokens.access_token);
    assert.equal(afterReuse.active, false);
  });

  test('a PKCE verifier that does not match the challenge is invalid_grant', async () => {
    const { callback, state, nonce } = await codeFor(rp);
    await assert.rejects(
      oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: state, expectedNonce: nonce }),
      (error: oidc.ResponseBodyError) => error.error === 'invalid_grant');
  });

  test('an authorization request without PKCE is refused', async () => {
    const url = new URL('/oauth2/authorize', server.baseUrl);
    url.search = new URLSearchParams({ client_id: clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', state: 'abc' }).toString();
    const response = await browser.request(url);
    const location = new URL(response.headers.get('location') ?? '', server.baseUrl);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.equal(location.searchParams.get('state'), 'abc');
  });

  test('refresh tokens are issued for offline_access and can be used; revoked tokens stop working', async () => {
    const { callback, verifier, state, nonce } = await codeFor(rp, { scope: 'openid profile offline_access', prompt: 'consent' });
    const tokens = await oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    assert.ok(tokens.refresh_token, 'a refresh token');
    const refreshed = await oidc.refreshTokenGrant(rp, tokens.refresh_token);
    assert.ok(refreshed.access_token);
    assert.equal(refreshed.claims()?.sub, tokens.claims()?.sub);
    await oidc.tokenRevocation(rp, refreshed.access_token);
    assert.equal((await oidc.tokenIntrospection(rp, refreshed.access_token)).active, false);
  });

  test('every refresh rotates the token; a used refresh token replayed revokes the whole family', async () => {
    const { callback, verifier, state, nonce } = await codeFor(rp, { scope: 'openid profile offline_access', prompt: 'consent' });
    const tokens = await oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const first = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
    assert.ok(first.refresh_token && first.refresh_token !== tokens.refresh_token, 'a new refresh token on every use');
    await assert.rejects(oidc.refreshTokenGrant(rp, tokens.refresh_token!), (error: oidc.ResponseBodyError) => error.error === 'invalid_grant');
    await assert.rejects(oidc.refreshTokenGrant(rp, first.refresh_token), (error: oidc.ResponseBodyError) => error.error === 'invalid_grant',
      'the replay revoked the token issued in its place');
    assert.equal((await oidc.tokenIntrospection(rp, first.access_token)).active, false, 'and the access tokens of the grant');
  });

  const raceTokenRequests = (body: Record<string, string>) => raceTokens(server.baseUrl, { clientId, clientSecret: secret }, body);

  test('a code presented several times at once is redeemed once; the others are invalid_grant and revoke the grant', async () => {
    const { callback, verifier } = await codeFor(rp);
    const answers = await raceTokenRequests({
      grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: REDIRECT_URI, code_verifier: verifier,
    });
    const issued = answers.filter((a) => a.status === 200);
    assert.ok(issued.length <= 1, `one redemption at most, got ${issued.length}`);
    assert.ok(answers.filter((a) => a.status !== 200).every((a) => a.status === 400 && a.body.error === 'invalid_grant'), JSON.stringify(answers.map((a) => a.status)));
    for (const { body } of issued) assert.equal((await oidc.tokenIntrospection(rp, body.access_token!)).active, false, 'the reuse revoked what was issued');
  });

  test('a refresh token presented several times at once rotates once; the reuse revokes the whole family', async () => {
    const { callback, verifier, state, nonce } = await codeFor(rp, { scope: 'openid profile offline_access', prompt: 'consent' });
    const tokens = await oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const answers = await raceTokenRequests({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    const issued = answers.filter((a) => a.status === 200);
    assert.ok(issued.length <= 1, `one rotation at most, got ${issued.length}`);
    assert.ok(answers.filter((a) => a.status !== 200).every((a) => a.status === 400 && a.body.error === 'invalid_grant'), JSON.stringify(answers.map((a) => a.status)));
    for (const { body } of issued) {
      assert.equal((await oidc.tokenIntrospection(rp, body.access_token!)).active, false);
      await assert.rejects(oidc.refreshTokenGrant(rp, body.refresh_token!), (error: oidc.ResponseBodyError) => error.error === 'invalid_grant');
    }
  });

  test('an essential acr verid cannot produce ends with unmet_authentication_requirements, not endless verifications', async () => {
    const other = JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:example:mfa', 'urn:example:hardware'] } } });
    const { url, state } = await authorizationRequest(rp, { claims: other });
    const { url: callback } = await browser.follow(url);
    assert.equal(callback.origin + callback.pathname, REDIRECT_URI);
    assert.equal(callback.searchParams.get('error'), 'unmet_authentication_requirements');
    assert.equal(callback.searchParams.get('state'), state);
    // Asking for verid's own acr as essential is satisfied by the verification already done.
    const ours = JSON.stringify({ id_token: { acr: { essential: true, value: 'urn:verid:acr:document-face' } } });
    const { callback: ok, verifier, state: s2, nonce } = await codeFor(rp, { claims: ours });
    const tokens = await oidc.authorizationCodeGrant(rp, ok, { pkceCodeVerifier: verifier, expectedState: s2, expectedNonce: nonce });
    assert.equal(tokens.claims()?.acr, 'urn:verid:acr:document-face');
  });

  test('redirect_uri is required even with one registered URI, at authorize and at the token endpoint', async () => {
    const url = new URL('/oauth2/authorize', server.baseUrl);
    url.search = new URLSearchParams({
      client_id: clientId, response_type: 'code', scope: 'openid', state: 'abc',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
    }).toString();
    const response = await browser.request(url);
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null, 'no redirect to a guessed URI');
    assert.match(await response.text(), /redirect_uri/);

    const { callback, verifier } = await codeFor(rp);
    const token = await fetch(new URL('/oauth2/token', server.baseUrl), {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code')!, code_verifier: verifier }),
    });
    assert.equal(token.status, 400);
    assert.match(JSON.stringify(await token.json()), /redirect_uri|invalid_grant|invalid_request/);
  });

  test('client_secret_post, client_secret_jwt and private_key_jwt authenticate at the token endpoint', async () => {
    const post = await newClient('client_secret_post');
    const jwt = await newClient('client_secret_jwt');
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const pk = await newClient('private_key_jwt', { jwks: { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', use: 'sig' }] } });
    const configs = [
      await discover(post.clientId, post.clientSecret!, oidc.ClientSecretPost(post.clientSecret!)),
      await discover(jwt.clientId, jwt.clientSecret!, oidc.ClientSecretJwt(jwt.clientSecret!)),
      await discover(pk.clientId, undefined, oidc.PrivateKeyJwt(privateKey)),
    ];
    for (const config of configs) {
      const { callback, verifier, state, nonce } = await codeFor(config);
      const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
      assert.ok(tokens.id_token, `tokens for ${config.clientMetadata().client_id}`);
    }
  });

  test('a rotated secret is valid at once and the previous one during the grace period', async () => {
    const { rotateClientSecret } = await import('../../src/oidc/client-registration.ts');
    const client = await newClient('client_secret_basic');
    const next = await rotateClientSecret(server.app.clients, client.clientId, 60);
    for (const candidate of [next, client.clientSecret!]) {
      const config = await discover(client.clientId, candidate);
      const { callback, verifier, state, nonce } = await codeFor(config);
      const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
      assert.ok(tokens.access_token);
    }
    const expired = await rotateClientSecret(server.app.clients, client.clientId, 0);
    const stale = await discover(client.clientId, next);
    const { callback, verifier, state } = await codeFor(await discover(client.clientId, expired));
    await assert.rejects(oidc.authorizationCodeGrant(stale, callback, { pkceCodeVerifier: verifier, expectedState: state }),
      (error: oidc.ResponseBodyError) => error.error === 'invalid_client');
  });

  test('key rotation: next keys are published first, then sign, and the old keys keep verifying', async () => {
    const keys = new SigningKeyRepository(server.app.database.db, new DataCipher(server.config.masterKey));
    const jwks = async () => (await (await fetch(`${server.baseUrl}/oauth2/jwks`)).json()) as { keys: Array<{ kid: string }> };
    const idToken = async () => {
      const { callback, verifier, state, nonce } = await codeFor(rp);
      return (await oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce })).id_token!;
    };
    const oldToken = await idToken();
    const oldKid = decodeProtectedHeader(oldToken).kid!;

    const first = await rotateSigningKeys(keys, 3600);
    assert.equal(await server.app.oidc.refresh(), true, 'the running server picks the new key set up');
    const published = (await jwks()).keys.map((k) => k.kid);
    for (const kid of first.published) assert.ok(published.includes(kid), 'next keys are in the JWKS');
    assert.equal(decodeProtectedHeader(await idToken()).kid, oldKid, 'but do not sign yet');

    await rotateSigningKeys(keys, 3600);
    await server.app.oidc.refresh();
    const newToken = await idToken();
    const newKid = decodeProtectedHeader(newToken).kid!;
    assert.ok(first.published.includes(newKid), 'the previously published key now signs');
    const set = createLocalJWKSet(await jwks() as never);
    await jwtVerify(oldToken, set, { issuer: server.baseUrl });
    await jwtVerify(newToken, set, { issuer: server.baseUrl });
  });
  test('RP-initiated logout ends the session and returns to the registered post-logout URI', async () => {
    const { callback, verifier, state, nonce } = await codeFor(rp);
    const tokens = await oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const endSession = oidc.buildEndSessionUrl(rp, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: LOGOUT_URI, state: 'bye' });
    const location = await signOutAtVerid(browser, endSession);
    assert.equal(location.origin + location.pathname, LOGOUT_URI);
    assert.equal(location.searchParams.get('state'), 'bye');
    // the browser is logged out: a new authorization request asks for a verification again
    const again = oidc.buildAuthorizationUrl(rp, {
      redirect_uri: REDIRECT_URI, scope: 'openid', state: 's', nonce: 'n',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
    });
    const { url } = await browser.follow(again);
    assert.match(url.pathname, /^\/interaction\//);
  });
});
