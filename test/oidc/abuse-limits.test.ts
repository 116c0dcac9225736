import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { connect } from 'node:net';
import { after, describe, test } from 'node:test';
import { registerClient } from '../../src/oidc/client-registration.ts';
import { REDIRECT_URI } from '../helpers/relying-party.ts';
import { testServers, type TestServer } from '../helpers/test-server.ts';

async function confidentialClient(server: TestServer) {
  const registered = await registerClient(server.app.clients, {
    name: 'Brute-forced RP', redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [], environment: 'demo', tokenEndpointAuthMethod: 'client_secret_basic',
  }, async () => {});
  return { clientId: registered.clientId, secret: registered.clientSecret! };
}

async function tokenRequest(server: TestServer, clientId: string, secret: string) {
  const response = await fetch(`${server.baseUrl}/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: 'nope', redirect_uri: REDIRECT_URI, code_verifier: 'x'.repeat(43) }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() as { error: string } };
}

const authorize = (server: TestServer, headers: Record<string, string> = {}, path = '/oauth2/authorize') =>
  fetch(`${server.baseUrl}${path}?client_id=unknown&response_type=code&scope=openid`, { headers, redirect: 'manual' });

/** A random documentation-range address, so counters in a shared Redis never meet those of an earlier run. */
const randomClientIp = () => `198.51.100.${randomInt(1, 255)}`;

function redisAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(6379, '127.0.0.1');
    socket.setTimeout(500, () => { socket.destroy(); resolve(false); });
    socket.once('connect', () => { socket.end(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

describe('abuse limits of the OAuth endpoints and proxy trust', () => {
  const { start, closeAll } = testServers();
  after(closeAll);

  test('guessing a client secret meets 429 temporarily_unavailable with Retry-After; the attempts are logged without secrets', async () => {
    const server = await start({ overrides: { rateLimitClientAuthFailures: 3 }, captureLogs: true });
    const { clientId, secret } = await confidentialClient(server);
    for (let i = 0; i < 3; i++) {
      const wrong = await tokenRequest(server, clientId, `wrong-secret-${i}`);
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error, 'invalid_client');
    }
    const limited = await tokenRequest(server, clientId, 'wrong-secret-3');
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error, 'temporarily_unavailable');
    assert.ok(Number(limited.retryAfter) > 0);
    const right = await tokenRequest(server, clientId, secret);
    assert.equal(right.status, 429, 'while blocked, even the right secret is not tried from this address');
    const logs = server.logs();
    assert.match(logs, /"event":"client_auth_failed"/);
    assert.match(logs, new RegExp(`"clientId":"${clientId}"`));
    assert.match(logs, /"ip":"127\.0\.0\.1"/);
    assert.doesNotMatch(logs, /wrong-secret|Basic /);
    assert.ok(!logs.includes(secret));
  });

  test('token requests per client and authorization requests per IP are limited', async () => {
    const server = await start({ overrides: { rateLimitTokenPerClient: 2, rateLimitAuthorizePerIp: 2 } });
    const { clientId, secret } = await confidentialClient(server);
    assert.deepEqual([(await tokenRequest(server, clientId, secret)).status, (await tokenRequest(server, clientId, secret)).status], [400, 400]);
    assert.equal((await tokenRequest(server, clientId, secret)).status, 429);
    for (let i = 0; i < 2; i++) assert.notEqual((await authorize(server)).status, 429);
    const page = await authorize(server);
    assert.equal(page.status, 429);
    // oidc-provider's router ignores case and a trailing slash: so do the limits.
    for (const spelling of ['/oauth2/AUTHORIZE', '/oauth2/authorize/', '/oauth2/Authorize/', '/oauth2/%61uthorize', '/oauth2//authorize']) {
      assert.equal((await authorize(server, {}, spelling)).status, 429, spelling);
    }
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.ok(Number(page.headers.get('retry-after')) > 0);
  });

  test('a POSTed authorization request counts once against the per-IP budget (the POST and the GET it becomes are one request)', async () => {
    const server = await start({ overrides: { rateLimitAuthorizePerIp: 2 } });
    const params = { client_id: 'unknown', response_type: 'code', scope: 'openid' };
    for (let i = 0; i < 2; i++) {
      const posted = await fetch(`${server.baseUrl}/oauth2/authorize`, { method: 'POST', body: new URLSearchParams(params), redirect: 'manual' });
      assert.equal(posted.status, 303);
      const followed = await fetch(new URL(posted.headers.get('location')!, server.baseUrl), { redirect: 'manual' });
      assert.notEqual(followed.status, 429, `login ${i + 1} of 2`);
    }
    assert.equal((await authorize(server)).status, 429);
  });

  test('X-Forwarded-Host and X-Forwarded-For are ignored unless the peer is a trusted proxy', async () => {
    const forged = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-for': randomClientIp() };
    const direct = await start({ overrides: { rateLimitAuthorizePerIp: 1 } });
    const discovery = await (await fetch(`${direct.baseUrl}/.well-known/openid-configuration`, { headers: forged })).text();
    assert.doesNotMatch(discovery, /evil\.example/);
    assert.equal((await authorize(direct, { 'x-forwarded-for': randomClientIp() })).status === 429, false);
    assert.equal((await authorize(direct, { 'x-forwarded-for': '203.0.113.9' })).status, 429, 'a forged X-Forwarded-For does not buy a new budget');

    const proxied = await start({ overrides: { trustProxy: '127.0.0.1', rateLimitAuthorizePerIp: 1 } });
    const viaProxy = await (await fetch(`${proxied.baseUrl}/.well-known/openid-configuration`, { headers: forged })).json() as { authorization_endpoint: string };
    assert.equal(viaProxy.authorization_endpoint, 'https://evil.example/oauth2/authorize', 'a configured proxy is believed');
    assert.notEqual((await authorize(proxied, { 'x-forwarded-for': '203.0.113.10' })).status, 429);
    assert.notEqual((await authorize(proxied, { 'x-forwarded-for': '203.0.113.11' })).status, 429, 'each client behind the proxy has its own budget');
    assert.equal((await authorize(proxied, { 'x-forwarded-for': '203.0.113.10' })).status, 429);
  });

  test('with REDIS_URL, two instances share one limit', async (t) => {
    if (!(await redisAnswers())) {
      t.skip('no Redis at 127.0.0.1:6379 (CI has one)');
      return;
    }
    const overrides = { redisUrl: 'redis://127.0.0.1:6379', trustProxy: '127.0.0.1', rateLimitAuthorizePerIp: 3 };
    const [a, b] = [await start({ overrides }), await start({ overrides })];
    const client = { 'x-forwarded-for': randomClientIp() };
    const statuses = [];
    for (const server of [a, b, a, b, a]) statuses.push((await authorize(server!, client)).status === 429);
    assert.deepEqual(statuses, [false, false, false, true, true]);
  });
});
