import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser } from '../helpers/browser.ts';
import { authorizationRequest, testClient } from '../helpers/relying-party.ts';
import { closeEngines, startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('security headers on every response, verid\'s pages and oidc-provider\'s alike', () => {
  let server: TestServer;
  let framed: TestServer;

  before(async () => {
    server = await startTestServer();
    framed = await startTestServer({ overrides: { frameAncestors: ['https://portal.example.com'], issuer: 'https://verid.example.com' } });
  });
  after(async () => {
    await server.close();
    await framed.close();
    await closeEngines();
  });

  function expectHardened(response: Response, what: string) {
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/, what);
    assert.match(csp, /script-src 'self'/, what);
    assert.match(csp, /frame-ancestors 'none'/, what);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, what);
    assert.equal(response.headers.get('x-frame-options'), 'DENY', what);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', what);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer', what);
    assert.equal(response.headers.get('strict-transport-security'), null, `${what}: no HSTS on an http issuer`);
  }

  test('discovery, the sign-in page, an oidc-provider error page, the API and the script', async () => {
    const { rp } = await testClient(server);
    const { url } = await authorizationRequest(rp);
    const browser = new Browser();
    const { response: signIn } = await browser.follow(url);
    assert.equal(signIn.status, 200);
    expectHardened(signIn, 'sign-in page');
    expectHardened(await fetch(`${server.baseUrl}/.well-known/openid-configuration`), 'discovery');
    const bad = await fetch(`${server.baseUrl}/oauth2/authorize?client_id=nobody&response_type=code`);
    assert.equal(bad.status, 400);
    expectHardened(bad, 'oidc-provider error page');
    expectHardened(await fetch(`${server.baseUrl}/omni/get/score`), 'API error');
    expectHardened(await fetch(`${server.baseUrl}/static/capture.js`), 'script');
  });

  test('a configured embedding origin and an https issuer change frame-ancestors and add HSTS', async () => {
    const response = await fetch(`${framed.baseUrl}/health`);
    assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors https:\/\/portal\.example\.com/);
    assert.equal(response.headers.get('x-frame-options'), null);
    assert.equal(response.headers.get('strict-transport-security'), 'max-age=31536000');
  });
});
